package org.chatapi.live;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while the database listener of live delivery still runs its loop: it goes round at least every second
 * while connected and while reconnecting, so a loop silent for {@link #STALLED_AFTER} is dead or stuck, and the
 * instance must be restarted (its streams would never hear of a message again). A database that is down does not
 * make the instance dead: the loop keeps trying.
 */
@Liveness
@ApplicationScoped
public class LiveDeliveryLiveness implements HealthCheck {

    static final Duration STALLED_AFTER = Duration.ofSeconds(30);

    @EJB
    MessageCommitListener listener;

    @Override
    public HealthCheckResponse call() {
        Instant lastRound = listener.lastRound();
        boolean alive = lastRound.isAfter(Instant.now().minus(STALLED_AFTER));
        return HealthCheckResponse.named("live-delivery-listener")
                .status(alive)
                .withData("last-round", lastRound.toString())
                .withData("connected", listener.isConnected())
                .build();
    }
}
