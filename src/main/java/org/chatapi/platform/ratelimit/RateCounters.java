package org.chatapi.platform.ratelimit;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;

/** The shared counts (table rate_counter): one statement per counted request, in a transaction of its own. */
@Stateless
public class RateCounters {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /**
     * Adds one to the caller's count of the window and answers the new count, on every instance together. The count
     * is not worth a wait for the disk on the way of every post: its transaction commits without one
     * ({@code synchronous_commit} off for it alone; a crash may forget the last counts, never a message).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int increment(String caller, String kind, Instant windowStart) {
        Number count = (Number) em.createNativeQuery("""
                        INSERT INTO rate_counter (caller_sub, kind, window_start, count)
                        SELECT :caller, :kind, :window, 1
                          FROM (SELECT set_config('synchronous_commit', 'off', true)) AS without_waiting_for_the_disk
                        ON CONFLICT (caller_sub, kind, window_start) DO UPDATE SET count = rate_counter.count + 1
                        RETURNING count""")
                .setParameter("caller", caller)
                .setParameter("kind", kind)
                .setParameter("window", windowStart)
                .getSingleResult();
        return count.intValue();
    }

    /** Forgets the windows before this one. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void purgeBefore(Instant windowStart) {
        em.createNativeQuery("DELETE FROM rate_counter WHERE window_start < :window")
                .setParameter("window", windowStart)
                .executeUpdate();
    }
}
