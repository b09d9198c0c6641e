package org.chatapi.webhooks;

import static jakarta.ejb.TransactionAttributeType.REQUIRES_NEW;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.chatapi.platform.Row;
import org.chatapi.rooms.boundary.MessageRows;
import org.chatapi.rooms.boundary.MessageView;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The statements of webhook delivery (tables webhook_queue and webhook_delivery): a worker claims due queues with a
 * lease ({@code FOR UPDATE SKIP LOCKED}, so instances never claim the same queue), reads the first pending delivery of
 * each with what its payload needs, and records each attempt's outcome. Each method is a transaction of its own;
 * nothing is held while a request is on the wire.
 */
@Stateless
@TransactionAttribute(REQUIRES_NEW)
public class Deliveries {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /** A claimed queue's first pending delivery, with its subscription's URL and secrets and the event's data. */
    public record Head(UUID id, UUID subscriptionId, UUID roomId, String eventType, int position, String readerSub,
                       Instant occurredAt, int attempts, String url, String secret, String previousSecret,
                       String ownerSub, MessageView message) {
    }

    /**
     * Claims up to {@code limit} due queues of enabled subscriptions for {@code lease} and answers their first
     * pending deliveries.
     */
    @SuppressWarnings("unchecked")
    public List<Head> claim(int limit, Duration lease) {
        NativeQuery<Row> query = em.createNativeQuery("""
                        WITH claimed AS (
                            UPDATE webhook_queue q SET leased_until = now() + make_interval(secs => :lease)
                              FROM (SELECT q2.subscription_id, q2.room_id
                                      FROM webhook_queue q2
                                      JOIN webhook_subscription s ON s.id = q2.subscription_id AND s.enabled
                                     WHERE q2.next_attempt_at <= now()
                                       AND (q2.leased_until IS NULL OR q2.leased_until < now())
                                     ORDER BY q2.next_attempt_at
                                     LIMIT :limit
                                       FOR UPDATE OF q2 SKIP LOCKED) due
                             WHERE q.subscription_id = due.subscription_id AND q.room_id = due.room_id
                            RETURNING q.subscription_id, q.room_id)
                        SELECT d.id AS delivery_id, d.subscription_id, d.room_id AS delivery_room, d.event_type,
                               d.position AS event_position, d.reader_sub, d.occurred_at, d.attempts,
                               s.url, s.secret,
                               CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS previous_secret,
                               r.owner_sub, %s
                          FROM claimed c
                          JOIN LATERAL (SELECT * FROM webhook_delivery x
                                         WHERE x.subscription_id = c.subscription_id AND x.room_id = c.room_id
                                           AND x.state = 'pending'
                                         ORDER BY x.seq LIMIT 1) d ON true
                          JOIN webhook_subscription s ON s.id = d.subscription_id
                          LEFT JOIN room r ON r.id = d.room_id
                          LEFT JOIN message m ON d.event_type LIKE 'message.%%'
                                             AND m.room_id = d.room_id AND m.position = d.position""".formatted(
                        MessageRows.COLUMNS))
                .setParameter("lease", (double) lease.toSeconds())
                .setParameter("limit", limit)
                .unwrap(NativeQuery.class)
                .addScalar("delivery_id", StandardBasicTypes.UUID)
                .addScalar("subscription_id", StandardBasicTypes.UUID)
                .addScalar("delivery_room", StandardBasicTypes.UUID)
                .addScalar("event_type", StandardBasicTypes.STRING)
                .addScalar("event_position", StandardBasicTypes.INTEGER)
                .addScalar("reader_sub", StandardBasicTypes.STRING)
                .addScalar("occurred_at", StandardBasicTypes.INSTANT)
                .addScalar("attempts", StandardBasicTypes.INTEGER)
                .addScalar("url", StandardBasicTypes.STRING)
                .addScalar("secret", StandardBasicTypes.STRING)
                .addScalar("previous_secret", StandardBasicTypes.STRING)
                .addScalar("owner_sub", StandardBasicTypes.STRING);
        return MessageRows.withColumns(query).getResultList().stream().map(row -> new Head(row.uuid("delivery_id"),
                row.uuid("subscription_id"), row.uuid("delivery_room"), row.text("event_type"),
                row.integer("event_position"), row.text("reader_sub"), row.instant("occurred_at"),
                row.integer("attempts"), row.text("url"), row.text("secret"), row.text("previous_secret"),
                row.text("owner_sub"), row.isNull("id") ? null : MessageRows.view(row))).toList();
    }

    /** The receiver took it (2xx): the delivery is done, and its queue goes on with the next one at once. */
    public void delivered(Head head, int status, Instant sentAt) {
        finish(head, "delivered", status, null, sentAt);
    }

    /** No 2xx in time and for long enough: the delivery is given up, and its queue goes on. */
    public void gaveUp(Head head, Integer status, String error, Instant sentAt) {
        finish(head, "failed", status, error, sentAt);
    }

    /**
     * Not taken ({@code status}, or no answer: null): the delivery stays first in its queue, which is due again at
     * {@code retryAt}.
     */
    public void failed(Head head, Integer status, String error, Instant sentAt, Instant retryAt) {
        attempt(head, status, error, sentAt, retryAt, "pending");
        em.createNativeQuery("""
                        UPDATE webhook_queue SET next_attempt_at = :retry, leased_until = NULL
                         WHERE subscription_id = :subscription AND room_id = :room""")
                .setParameter("retry", retryAt)
                .setParameter("subscription", head.subscriptionId())
                .setParameter("room", head.roomId())
                .executeUpdate();
    }

    /** The receiver answered 410 Gone: the subscription is disabled; its deliveries wait for it to be enabled. */
    public void gone(Head head, Instant sentAt) {
        attempt(head, 410, "410 Gone: the subscription was disabled", sentAt, null, "pending");
        em.createNativeQuery("""
                        UPDATE webhook_subscription
                           SET enabled = false, disabled_at = now(), disabled_reason = 'the receiver answered 410 Gone'
                         WHERE id = :subscription AND enabled""")
                .setParameter("subscription", head.subscriptionId())
                .executeUpdate();
        em.createNativeQuery("""
                        UPDATE webhook_queue SET leased_until = NULL
                         WHERE subscription_id = :subscription AND room_id = :room""")
                .setParameter("subscription", head.subscriptionId())
                .setParameter("room", head.roomId())
                .executeUpdate();
    }

    /**
     * Ends a delivery ({@code state} delivered or failed) and moves its queue on: the next pending delivery is due at
     * once, or the queue is idle. The count is taken from the row as it is when locked, so a delivery enqueued
     * meanwhile keeps its queue due.
     */
    private void finish(Head head, String state, Integer status, String error, Instant sentAt) {
        int changed = attempt(head, status, error, sentAt, null, state);
        if (changed == 0) {
            return;  // finished already (a replay of a lapsed lease); the queue was moved on then
        }
        em.createNativeQuery("""
                        UPDATE webhook_queue
                           SET pending = pending - 1, leased_until = NULL,
                               next_attempt_at = CASE WHEN pending > 1 THEN now() END
                         WHERE subscription_id = :subscription AND room_id = :room""")
                .setParameter("subscription", head.subscriptionId())
                .setParameter("room", head.roomId())
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private int attempt(Head head, Integer status, String error, Instant sentAt, Instant retryAt, String state) {
        return em.createNativeQuery("""
                        UPDATE webhook_delivery
                           SET attempts = attempts + 1, last_attempt_at = :sent, last_status = :status,
                               last_error = :error, next_attempt_at = :retry,
                               first_sent_at = COALESCE(first_sent_at, :sent), state = :state,
                               finished_at = CASE WHEN :state = 'pending' THEN NULL ELSE now() END
                         WHERE id = :id AND state = 'pending'""")
                .unwrap(NativeQuery.class)
                .setParameter("status", status, StandardBasicTypes.INTEGER)
                .setParameter("error", error == null ? null : error.substring(0, Math.min(error.length(), 500)),
                        StandardBasicTypes.STRING)
                .setParameter("retry", retryAt, StandardBasicTypes.INSTANT)
                .setParameter("sent", sentAt)
                .setParameter("state", state)
                .setParameter("id", head.id())
                .executeUpdate();
    }

    /**
     * How many deliveries are pending, since when the oldest waits (null when none), and whether any subscription is
     * enabled.
     */
    public record Backlog(long pending, Instant oldest, boolean subscribed) {
    }

    /** The backlog, from the queues' counts and first deliveries: its cost is that of the queues with work. */
    public Backlog backlog() {
        Object[] row = (Object[]) em.createNativeQuery("""
                        SELECT COALESCE(sum(q.pending), 0) AS pending, min(h.occurred_at) AS oldest,
                               EXISTS (SELECT 1 FROM webhook_subscription WHERE enabled) AS subscribed
                          FROM webhook_queue q
                          LEFT JOIN LATERAL (SELECT d.occurred_at FROM webhook_delivery d
                                              WHERE d.subscription_id = q.subscription_id AND d.room_id = q.room_id
                                                AND d.state = 'pending'
                                              ORDER BY d.seq LIMIT 1) h ON true
                         WHERE q.pending > 0""")
                .unwrap(NativeQuery.class)
                .addScalar("pending", StandardBasicTypes.LONG)
                .addScalar("oldest", StandardBasicTypes.INSTANT)
                .addScalar("subscribed", StandardBasicTypes.BOOLEAN)
                .getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), (Instant) row[1], (Boolean) row[2]);
    }

    /** Deletes up to {@code batch} finished deliveries older than {@code before}; answers how many. */
    public int purgeFinished(Instant before, int batch) {
        return em.createNativeQuery("""
                        DELETE FROM webhook_delivery
                         WHERE id IN (SELECT id FROM webhook_delivery WHERE finished_at < :before LIMIT :batch)""")
                .setParameter("before", before)
                .setParameter("batch", batch)
                .executeUpdate();
    }
}
