package org.chatapi.webhooks;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.chatapi.platform.Metrics;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The webhook backlog as the dispatcher last read it (every few seconds): metrics {@code chat.webhooks.pending} and
 * {@code chat.webhooks.oldest_pending_seconds}, and the {@code webhook-delivery} check of {@code /health/ready},
 * which reports {@code lagging} once the oldest pending delivery waits longer than
 * {@code CHAT_WEBHOOK_LAG_ALERT_SECONDS}. The check stays UP while lagging: a receiver that is down makes every
 * instance lag alike, and taking them all out of the load balancer would stop the chat too; alert on it instead.
 */
@Readiness
@ApplicationScoped
public class WebhookBacklog implements HealthCheck {

    private volatile Deliveries.Backlog last = new Deliveries.Backlog(0, null, true);

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.webhook-lag-alert-seconds", defaultValue = "300")
    long alertSeconds;

    @PostConstruct
    void register() {
        metrics.gauge("chat.webhooks.pending", this, backlog -> (int) Math.min(Integer.MAX_VALUE, backlog.last.pending()));
        metrics.gauge("chat.webhooks.oldest_pending_seconds", this, WebhookBacklog::oldestSeconds);
    }

    void update(Deliveries.Backlog backlog) {
        last = backlog;
    }

    /** Whether a subscription was enabled when last read (true until first read). */
    boolean subscribed() {
        return last.subscribed();
    }

    private int oldestSeconds() {
        Instant oldest = last.oldest();
        return oldest == null ? 0 : (int) Math.max(0, Duration.between(oldest, Instant.now()).toSeconds());
    }

    @Override
    public HealthCheckResponse call() {
        int oldest = oldestSeconds();
        return HealthCheckResponse.named("webhook-delivery")
                .up()
                .withData("pending", last.pending())
                .withData("oldest-pending-seconds", oldest)
                .withData("lagging", oldest > alertSeconds)
                .build();
    }
}
