package org.chatapi.privacy;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.chatapi.platform.Row;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The leases of the jobs (tables erasure and data_export, each with {@code finished_at} and {@code leased_until}):
 * an instance works on a job only while it holds its lease, renewed at every step; a job whose holder stopped
 * renewing is taken over once the lease lapses.
 */
final class Leases {

    /** How long a lease lasts without being renewed. */
    static final int SECONDS = 60;

    private Leases() {
    }

    /**
     * Takes the oldest unfinished job of the table that no instance holds, or whose lease lapsed; answers its id and
     * {@code subject}.
     */
    @SuppressWarnings("unchecked")
    static Optional<Row> claim(EntityManager em, String table) {
        List<Row> rows = em.createNativeQuery("""
                        UPDATE %1$s SET leased_until = now() + make_interval(secs => :lease)
                         WHERE id = (SELECT id FROM %1$s
                                      WHERE finished_at IS NULL AND (leased_until IS NULL OR leased_until < now())
                                      ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id, subject""".formatted(table))
                .setParameter("lease", SECONDS)
                .unwrap(NativeQuery.class)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("subject", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        return rows.stream().findFirst();
    }

    /** Renews the lease of a job still unfinished; false when it has finished, or is gone. */
    static boolean renew(EntityManager em, String table, UUID id) {
        return em.createNativeQuery("""
                        UPDATE %s SET leased_until = now() + make_interval(secs => :lease)
                         WHERE id = :id AND finished_at IS NULL""".formatted(table))
                .setParameter("lease", SECONDS)
                .setParameter("id", id)
                .executeUpdate() == 1;
    }
}
