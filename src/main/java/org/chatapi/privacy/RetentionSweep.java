package org.chatapi.privacy;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.Row;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies retention on this instance: every {@code CHAT_RETENTION_SWEEP_SECONDS} it pages through the rooms (a
 * thousand per statement) and empties each room that has messages past its retention of them, a batch of
 * {@code CHAT_RETENTION_BATCH} messages per transaction ({@link Retention#purge}); and a room whose retention was
 * just set is swept at once. Every instance sweeps: batches are decided under the room's lock, so instances that meet
 * in a room take turns. A sweep that stops half way (a crash, a stop) leaves every batch it committed done, and the
 * next sweep goes on from there. Written with the container's timer rather than a scheduler library for the reason
 * {@link DataJobs} gives: the work is already rows with their own progress ({@code room.purged_through}).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetentionSweep {

    private static final Logger LOG = Logger.getLogger(RetentionSweep.class.getName());
    private static final int ROOMS_PER_PAGE = 1000;
    private static final UUID BEFORE_FIRST = new UUID(0, 0);

    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean stopping;

    @EJB
    Retention retention;

    @Resource
    TimerService timers;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "chat.retention-sweep-seconds", defaultValue = "300")
    long sweepSeconds;

    @Inject
    @ConfigProperty(name = "chat.retention-batch", defaultValue = "1000")
    int batch;

    /** A room's retention was set: its transaction fires this, so that the room is swept once it committed. */
    public record Changed(UUID roomId) {
    }

    @PostConstruct
    void start() {
        if (sweepSeconds < 1 || batch < 1) {
            throw new IllegalStateException("CHAT_RETENTION_SWEEP_SECONDS and CHAT_RETENTION_BATCH must be positive");
        }
        long every = sweepSeconds * 1000;
        timers.createIntervalTimer(every, every, new TimerConfig(null, false));
    }

    public void stopping(@Observes Lifecycle.Stopping stop) {
        stopping = true;
    }

    /** Sweeps the room at once, without waiting for the next sweep. */
    public void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Changed changed) {
        executor.execute(() -> {
            try {
                empty(changed.roomId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Retention of room " + changed.roomId() + " failed; the next sweep goes on", e);
            }
        });
    }

    @Timeout
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;  // the last sweep is still going
        }
        try {
            UUID after = BEFORE_FIRST;
            List<Row> page;
            do {
                page = retention.page(after, ROOMS_PER_PAGE);
                for (Row room : page) {
                    if (room.bool("due")) {
                        empty(room.uuid("id"));
                    }
                }
                after = page.isEmpty() ? after : page.get(page.size() - 1).uuid("id");
            } while (page.size() == ROOMS_PER_PAGE && !stopping);
        } catch (RuntimeException e) {
            // The database is away: the next sweep goes on from what was committed.
            LOG.log(Level.WARNING, "A retention sweep failed; the next one goes on", e);
        } finally {
            sweeping.set(false);
        }
    }

    /**
     * Removes the room's messages past its retention, a batch per transaction, pausing after each batch as long as
     * it took, so that the job takes at most about half of what the database gives (posts beside it keep the rest).
     * Leaves the room to another instance that is purging it already.
     */
    private void empty(UUID roomId) {
        long removed = 0;
        while (!stopping) {
            long started = System.nanoTime();
            int step = retention.purge(roomId, batch);
            if (step <= 0) {
                break;
            }
            removed += step;
            try {
                Thread.sleep(Duration.ofNanos(System.nanoTime() - started));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (removed > 0) {
            long total = removed;
            LOG.info(() -> "Retention removed " + total + " messages of room " + roomId);
        }
    }
}
