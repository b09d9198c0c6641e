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

    /** Adds one to the caller's count of the window and answers the new count, on every instance together. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int increment(String caller, String kind, Instant windowStart) {
        Number count = (Number) em.createNativeQuery("""
                        INSERT INTO rate_counter (caller_sub, kind, window_start, count)
                        VALUES (:caller, :kind, :window, 1)
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
