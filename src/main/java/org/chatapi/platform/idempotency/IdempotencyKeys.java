package org.chatapi.platform.idempotency;

import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/** The stored outcomes of idempotent requests, per caller and key (table idempotency_key). */
@Stateless
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class.getName());

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "chat.idempotency.retention-hours", defaultValue = "24")
    int retentionHours;

    /**
     * The first key of the advisory locks that show a key's request running: its work transaction holds one (see
     * {@link #hold}) until it commits or rolls back, and PostgreSQL lets it go when that request's connection is lost
     * (a killed instance, a database that failed over). A claim without a response whose lock is free belongs to a
     * request that died, so a retry takes the key over at once instead of waiting for a time-out.
     */
    static final int RUNNING = 0x1de4;

    /** What became of a claim. */
    public sealed interface Claim permits Claimed, Replay, Running, Mismatch {
    }

    /** The key is this request's (as of {@code claimedAt}): run it, then {@link #complete} in its transaction. */
    public record Claimed(Instant claimedAt) implements Claim {
    }

    /** The key's request completed: answer with its response again. */
    public record Replay(int status, String body, String location) implements Claim {
    }

    /** The key's first request is still running. */
    public record Running() implements Claim {
    }

    /** The key was used for another request. */
    public record Mismatch() implements Claim {
    }

    /** Claims the key for a request, in a transaction of its own, so that concurrent replays see the claim at once. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Claim claim(String caller, String key, String fingerprint) {
        Instant now = Timestamps.now();
        int inserted = em.createNativeQuery("""
                        INSERT INTO idempotency_key (caller_sub, key, fingerprint, claimed_at, expires_at)
                        VALUES (:caller, :key, :fingerprint, :now, :expires)
                        ON CONFLICT (caller_sub, key) DO NOTHING""")
                .setParameter("caller", caller)
                .setParameter("key", key)
                .setParameter("fingerprint", fingerprint)
                .setParameter("now", now)
                .setParameter("expires", now.plus(Duration.ofHours(retentionHours)))
                .executeUpdate();
        if (inserted == 1) {
            return new Claimed(now);
        }
        @SuppressWarnings("unchecked")
        List<Row> rows = em.createNativeQuery("""
                        SELECT fingerprint, claimed_at, expires_at, response_status, response_body, response_location
                          FROM idempotency_key WHERE caller_sub = :caller AND key = :key FOR UPDATE""")
                .setParameter("caller", caller)
                .setParameter("key", key)
                .unwrap(NativeQuery.class)
                .addScalar("fingerprint", StandardBasicTypes.STRING)
                .addScalar("claimed_at", StandardBasicTypes.INSTANT)
                .addScalar("expires_at", StandardBasicTypes.INSTANT)
                .addScalar("response_status", StandardBasicTypes.INTEGER)
                .addScalar("response_body", StandardBasicTypes.STRING)
                .addScalar("response_location", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        if (rows.isEmpty()) {
            // Released between our insert and our read: the key is free again.
            return claim(caller, key, fingerprint);
        }
        Row row = rows.get(0);
        boolean expired = row.instant("expires_at").isBefore(now);
        boolean abandoned = row.isNull("response_status") && !running(caller, key);
        if (expired || abandoned) {
            em.createNativeQuery("""
                            UPDATE idempotency_key
                               SET fingerprint = :fingerprint, claimed_at = :now, expires_at = :expires,
                                   response_status = NULL, response_body = NULL, response_location = NULL
                             WHERE caller_sub = :caller AND key = :key""")
                    .setParameter("fingerprint", fingerprint)
                    .setParameter("now", now)
                    .setParameter("expires", now.plus(Duration.ofHours(retentionHours)))
                    .setParameter("caller", caller)
                    .setParameter("key", key)
                    .executeUpdate();
            return new Claimed(now);
        }
        if (!fingerprint.equals(row.text("fingerprint"))) {
            return new Mismatch();
        }
        if (row.isNull("response_status")) {
            return new Running();
        }
        return new Replay(row.integer("response_status"), row.text("response_body"), row.text("response_location"));
    }

    /** Whether a request of this key is running now: its work transaction holds the key's lock (see {@link #hold}). */
    private boolean running(String caller, String key) {
        // Taken (for this claim transaction only) when free: the request that claimed the key is gone.
        return !(Boolean) keyLock("SELECT pg_try_advisory_xact_lock" + KEY_LOCK, caller, key).getSingleResult();
    }

    /**
     * Marks the key's request as running, for as long as its work transaction lasts (the first statement of that
     * transaction). Waits while a retry's claim looks at the key; if that retry took the key over, this request's
     * {@link #complete} fails.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void hold(String caller, String key) {
        keyLock("SELECT CAST(pg_advisory_xact_lock" + KEY_LOCK + " AS text)", caller, key).getSingleResult();
    }

    /** The arguments of a key's advisory lock: the {@link #RUNNING} namespace and the hash of caller and key. */
    private static final String KEY_LOCK = "(:running, hashtext(:caller || ' ' || :key))";

    private Query keyLock(String sql, String caller, String key) {
        return em.createNativeQuery(sql)
                .setParameter("running", RUNNING)
                .setParameter("caller", caller)
                .setParameter("key", key);
    }

    /**
     * Stores the response, in the transaction of the work it reports: both commit, or neither. A claim taken over
     * meanwhile (this request was presumed dead) fails the transaction, so the work is not done twice.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void complete(String caller, String key, Claimed claim, int status, String body, String location) {
        int completed = em.createNativeQuery("""
                        UPDATE idempotency_key
                           SET response_status = :status, response_body = :body, response_location = :location
                         WHERE caller_sub = :caller AND key = :key
                           AND claimed_at = :claimedAt AND response_status IS NULL""")
                .setParameter("caller", caller)
                .setParameter("key", key)
                .setParameter("claimedAt", claim.claimedAt())
                .setParameter("status", status)
                .setParameter("body", body)
                .unwrap(NativeQuery.class)
                .setParameter("location", location, StandardBasicTypes.STRING)
                .executeUpdate();
        if (completed != 1) {
            throw IdempotencyConflict.stillRunning();
        }
    }

    /** Frees a key whose request failed, so that the client may retry with it (unless another request took it). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void release(String caller, String key, Claimed claim) {
        em.createNativeQuery("""
                        DELETE FROM idempotency_key
                         WHERE caller_sub = :caller AND key = :key
                           AND claimed_at = :claimedAt AND response_status IS NULL""")
                .setParameter("caller", caller)
                .setParameter("key", key)
                .setParameter("claimedAt", claim.claimedAt())
                .executeUpdate();
    }

    /** Forgets expired keys, every hour. */
    @Schedule(hour = "*", minute = "17", persistent = false)
    public void purgeExpired() {
        int purged = em.createNativeQuery("DELETE FROM idempotency_key WHERE expires_at < :now")
                .setParameter("now", Timestamps.now())
                .executeUpdate();
        if (purged > 0) {
            LOG.info(() -> "Purged " + purged + " expired idempotency keys");
        }
    }
}
