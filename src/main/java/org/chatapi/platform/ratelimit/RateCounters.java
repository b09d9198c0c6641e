package org.chatapi.platform.ratelimit;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The shared counts (table rate_counter), each call a transaction of its own. */
@Stateless
public class RateCounters {

    /** Counts added in one statement at most; a share of more callers takes several. */
    private static final int ROWS_PER_STATEMENT = 500;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /** Requests of one caller and kind in one window, counted by one instance and not yet shared (one per caller and kind). */
    public record Share(String caller, String kind, Instant windowStart, int count) {
    }

    /**
     * Adds each share to its shared count and answers the new counts, which hold every instance's requests. Rows
     * are written in one order (caller, kind), so that two instances sharing the same callers cannot deadlock. The
     * counts are not worth a wait for the disk: the transaction commits without one ({@code synchronous_commit} off
     * for it alone; a crash may forget the last counts, never a message).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Map<Share, Integer> add(List<Share> shares) {
        List<Share> ordered = shares.stream()
                .sorted(Comparator.comparing(Share::caller).thenComparing(Share::kind).thenComparing(Share::windowStart))
                .toList();
        em.createNativeQuery("SELECT set_config('synchronous_commit', 'off', true)").getSingleResult();
        Map<Share, Integer> totals = new HashMap<>();
        for (int from = 0; from < ordered.size(); from += ROWS_PER_STATEMENT) {
            List<Share> part = ordered.subList(from, Math.min(ordered.size(), from + ROWS_PER_STATEMENT));
            StringJoiner values = new StringJoiner(", ");
            for (int i = 0; i < part.size(); i++) {
                values.add("(:caller" + i + ", :kind" + i + ", :window" + i + ", :count" + i + ")");
            }
            Query query = em.createNativeQuery("""
                    INSERT INTO rate_counter (caller_sub, kind, window_start, count) VALUES %s
                    ON CONFLICT (caller_sub, kind, window_start) DO UPDATE SET count = rate_counter.count + EXCLUDED.count
                    RETURNING caller_sub, kind, count""".formatted(values));
            for (int i = 0; i < part.size(); i++) {
                Share share = part.get(i);
                query.setParameter("caller" + i, share.caller())
                        .setParameter("kind" + i, share.kind())
                        .setParameter("window" + i, share.windowStart())
                        .setParameter("count" + i, share.count());
            }
            Map<String, Share> byKey = new HashMap<>();
            part.forEach(share -> byKey.put(share.caller() + '\n' + share.kind(), share));
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            for (Object[] row : rows) {
                totals.put(byKey.get(row[0] + "\n" + row[1]), ((Number) row[2]).intValue());
            }
        }
        return totals;
    }

    /** Forgets the windows before this one. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void purgeBefore(Instant windowStart) {
        em.createNativeQuery("DELETE FROM rate_counter WHERE window_start < :window")
                .setParameter("window", windowStart)
                .executeUpdate();
    }
}
