package org.chatapi.privacy;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the erasures and exports on this instance: every few seconds, and at once after a request has committed. Each job is taken
 * with a lease in the database (one instance at a time works on it; another takes it over if the lease lapses) and
 * worked on step by step, each step a transaction of its own. Written here rather than with a scheduler library
 * because the jobs already are rows with a cursor and a lease: a library's own tables would add a second record of
 * the same work.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DataJobs {

    private static final Logger LOG = Logger.getLogger(DataJobs.class.getName());

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    @EJB
    Erasures erasures;

    @EJB
    Exports exports;

    @Resource
    ManagedExecutorService executor;

    /** An erasure or export was asked for: its transaction fires this, so that it is worked on once committed. */
    public record Asked() {
    }

    /** Works on what was just asked for, once its request committed, without waiting for the next round. */
    public void asked(@Observes(during = TransactionPhase.AFTER_SUCCESS) Asked asked) {
        executor.execute(this::work);
    }

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void everyFewSeconds() {
        work();
    }

    /** Works until no job is left that this instance may take; one round at a time on this instance. */
    void work() {
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            while (again.getAndSet(false)) {
                for (Optional<Erasures.Job> job = erasures.claim(); job.isPresent(); job = erasures.claim()) {
                    while (erasures.step(job.get())) {
                        // each step commits on its own
                    }
                    again.set(true);
                }
                for (Optional<Exports.Job> job = exports.claim(); job.isPresent(); job = exports.claim()) {
                    while (exports.step(job.get())) {
                        // each step commits on its own
                    }
                    again.set(true);
                }
                while (exports.purgeExpired() > 0) {
                    // a few expired exports at a time
                }
            }
        } catch (RuntimeException e) {
            // The database is away, or a step failed: its lease lapses and the job is taken up again.
            LOG.log(Level.WARNING, "A data job failed; it is taken up again once its lease lapses", e);
        } finally {
            running.set(false);
        }
    }
}
