package org.chatapi.webhooks;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.RoomAccess;
import org.chatapi.rooms.boundary.RoomNotFound;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Webhook subscriptions and their delivery logs. An admin may subscribe to anything; a tenant (a member of an
 * audience) to its audience's rooms only, and sees and manages only those subscriptions. Each public method that
 * writes is one transaction.
 */
@Stateless
public class Webhooks {

    /** The event types a subscription may ask for. */
    public static final List<String> EVENT_TYPES = List.of("message.posted", "message.edited", "message.deleted",
            "room.created", "room.purged", "marker.moved");

    private static final String COLUMNS = """
            id, url, array_to_string(event_types, ',') AS event_types, room_id, audience, enabled, disabled_reason, created_by, created_at,
            CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS previous_secret_until""";

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    @Inject
    Destinations destinations;

    @Inject
    @ConfigProperty(name = "chat.webhook-secret-overlap-hours", defaultValue = "24")
    int overlapHours;

    /** What a subscription is for. */
    public record Target(String url, List<String> eventTypes, UUID roomId, String audience) {
    }

    /** Subscribes; the answer shows the secret, once. */
    public SubscriptionView create(Caller caller, Target target) {
        String audience = target.audience();
        if (target.roomId() != null) {
            if (em.createNativeQuery("SELECT 1 FROM room WHERE id = :room").setParameter("room", target.roomId())
                    .getResultList().isEmpty()) {
                throw new RoomNotFound(target.roomId());
            }
            Optional<String> opened = access.audienceOf(target.roomId());
            if (!caller.isAdmin() && (opened.isEmpty() || !caller.actsFor(opened.get())
                    || (audience != null && !audience.equals(opened.get())))) {
                throw new AccessDenied("Only admin, or the tenant room " + target.roomId()
                        + " is open to, may subscribe to its events.");
            }
            if (audience == null && !caller.isAdmin()) {
                audience = opened.get();
            }
        }
        if (!caller.isAdmin() && (audience == null || !caller.actsFor(audience))) {
            throw new AccessDenied("Only admin may subscribe to every room; a tenant subscribes to its audience's "
                    + "rooms (\"audience\").");
        }
        checkDestination(target.url());
        UUID id = Ids.newId();
        String secret = Signatures.newSecret();
        em.createNativeQuery("""
                        INSERT INTO webhook_subscription (id, url, event_types, room_id, audience, created_by,
                                                          created_at, secret)
                        VALUES (:id, :url, CAST(:types AS text[]), :room, :audience, :by, :now, :secret)""")
                .unwrap(NativeQuery.class)
                .setParameter("room", target.roomId(), StandardBasicTypes.UUID)
                .setParameter("audience", audience, StandardBasicTypes.STRING)
                .setParameter("id", id)
                .setParameter("url", target.url())
                .setParameter("types", textArray(target.eventTypes()))
                .setParameter("by", caller.subject())
                .setParameter("now", Timestamps.now())
                .setParameter("secret", secret)
                .executeUpdate();
        return find(caller, id).withSecret(secret);
    }

    @TransactionAttribute(SUPPORTS)
    public SubscriptionView find(Caller caller, UUID id) {
        Row row = row(id, false);
        checkManages(caller, row);
        return view(row);
    }

    /** A page of the subscriptions the caller manages, in id (creation) order after {@code after}. */
    @TransactionAttribute(SUPPORTS)
    public List<SubscriptionView> list(Caller caller, UUID after, int limit) {
        if (!caller.isAdmin() && caller.audiences().isEmpty()) {
            throw new AccessDenied("Webhooks are for admin and tenants (audience members).");
        }
        NativeQuery<Row> query = subscriptions("SELECT " + COLUMNS + " FROM webhook_subscription WHERE id > :after "
                + (caller.isAdmin() ? "" : "AND audience IN (:audiences) ") + "ORDER BY id LIMIT :limit")
                .setParameter("after", after == null ? new UUID(0, 0) : after)
                .setParameter("limit", limit);
        if (!caller.isAdmin()) {
            query.setParameterList("audiences", caller.audiences());
        }
        return query.getResultList().stream().map(Webhooks::view).toList();
    }

    /** Changes the URL, the event types or whether it is enabled (each when not null). */
    public SubscriptionView update(Caller caller, UUID id, String url, List<String> eventTypes, Boolean enabled) {
        checkManages(caller, row(id, true));
        if (url != null) {
            checkDestination(url);
        }
        em.createNativeQuery("""
                        UPDATE webhook_subscription
                           SET url = COALESCE(:url, url),
                               event_types = COALESCE(CAST(:types AS text[]), event_types),
                               enabled = COALESCE(:enabled, enabled),
                               disabled_at = CASE WHEN COALESCE(:enabled, enabled) THEN NULL
                                                  ELSE COALESCE(disabled_at, now()) END,
                               disabled_reason = CASE WHEN COALESCE(:enabled, enabled) THEN NULL
                                                      WHEN :enabled = false THEN 'disabled through the API'
                                                      ELSE disabled_reason END
                         WHERE id = :id""")
                .unwrap(NativeQuery.class)
                .setParameter("url", url, StandardBasicTypes.STRING)
                .setParameter("types", eventTypes == null ? null : textArray(eventTypes), StandardBasicTypes.STRING)
                .setParameter("enabled", enabled, StandardBasicTypes.BOOLEAN)
                .setParameter("id", id)
                .executeUpdate();
        return find(caller, id);
    }

    /** Deletes the subscription with its queues and delivery log. */
    public void delete(Caller caller, UUID id) {
        checkManages(caller, row(id, true));
        em.createNativeQuery("DELETE FROM webhook_subscription WHERE id = :id").setParameter("id", id).executeUpdate();
    }

    /**
     * A new secret, shown once; the one it replaces still signs (a second signature) for
     * {@code CHAT_WEBHOOK_SECRET_OVERLAP_HOURS}, so that receivers can change over without losing a delivery.
     */
    public SubscriptionView rotate(Caller caller, UUID id) {
        checkManages(caller, row(id, true));
        String secret = Signatures.newSecret();
        em.createNativeQuery("""
                        UPDATE webhook_subscription
                           SET previous_secret = secret, previous_secret_until = :until, secret = :secret
                         WHERE id = :id""")
                .setParameter("until", Instant.now().plus(Duration.ofHours(overlapHours)))
                .setParameter("secret", secret)
                .setParameter("id", id)
                .executeUpdate();
        return find(caller, id).withSecret(secret);
    }

    /** The subscription's deliveries, newest first, before the delivery {@code before} (or from the newest). */
    @TransactionAttribute(SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<DeliveryView> deliveries(Caller caller, UUID id, String state, UUID before, int limit) {
        checkManages(caller, row(id, false));
        return ((NativeQuery<Row>) em.createNativeQuery("""
                        SELECT id, event_type, room_id, position, occurred_at, state, attempts, last_attempt_at,
                               last_status, last_error, next_attempt_at, finished_at
                          FROM webhook_delivery
                         WHERE subscription_id = :subscription AND (CAST(:state AS text) IS NULL OR state = :state)
                           AND seq < COALESCE((SELECT seq FROM webhook_delivery WHERE id = :before), 9223372036854775807)
                         ORDER BY seq DESC LIMIT :limit""")
                .unwrap(NativeQuery.class)
                .setParameter("state", state, StandardBasicTypes.STRING)
                .setParameter("before", before == null ? new UUID(0, 0) : before)
                .setParameter("subscription", id)
                .setParameter("limit", limit)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("event_type", StandardBasicTypes.STRING)
                .addScalar("room_id", StandardBasicTypes.UUID)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("occurred_at", StandardBasicTypes.INSTANT)
                .addScalar("state", StandardBasicTypes.STRING)
                .addScalar("attempts", StandardBasicTypes.INTEGER)
                .addScalar("last_attempt_at", StandardBasicTypes.INSTANT)
                .addScalar("last_status", StandardBasicTypes.INTEGER)
                .addScalar("last_error", StandardBasicTypes.STRING)
                .addScalar("next_attempt_at", StandardBasicTypes.INSTANT)
                .addScalar("finished_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME))
                .getResultList().stream().map(row -> new DeliveryView(row.uuid("id").toString(),
                        row.text("event_type"), row.uuid("room_id").toString(), row.integer("position"),
                        Timestamps.format(row.instant("occurred_at")), row.text("state"), row.integer("attempts"),
                        timestamp(row, "last_attempt_at"), row.integer("last_status"), row.text("last_error"),
                        "pending".equals(row.text("state")) ? timestamp(row, "next_attempt_at") : null,
                        timestamp(row, "finished_at")))
                .toList();
    }

    /**
     * Sends again the finished deliveries of the subscription (all of them, or one: {@code delivery}) whose events
     * happened from {@code since} until before {@code until}, at most {@code limit} (the oldest); each keeps its
     * {@code webhook-id}. Answers how many were queued again.
     */
    public int replay(Caller caller, UUID id, UUID delivery, Instant since, Instant until, int limit) {
        checkManages(caller, row(id, true));
        return ((Number) em.createNativeQuery("""
                        WITH chosen AS (
                            SELECT id, room_id FROM webhook_delivery
                             WHERE subscription_id = :subscription AND state <> 'pending'
                               AND (CAST(:delivery AS uuid) IS NULL OR id = :delivery)
                               AND occurred_at >= :since AND occurred_at < :until
                             ORDER BY seq LIMIT :limit
                               FOR UPDATE),
                        requeued AS (
                            UPDATE webhook_delivery d SET state = 'pending', finished_at = NULL, next_attempt_at = NULL
                              FROM chosen WHERE d.id = chosen.id
                            RETURNING d.room_id),
                        counted AS (
                            UPDATE webhook_queue q
                               SET pending = q.pending + n.count, next_attempt_at = COALESCE(q.next_attempt_at, now())
                              FROM (SELECT room_id, count(*) AS count FROM requeued GROUP BY room_id) n
                             WHERE q.subscription_id = :subscription AND q.room_id = n.room_id)
                        SELECT count(*) FROM requeued""")
                .unwrap(NativeQuery.class)
                .setParameter("delivery", delivery, StandardBasicTypes.UUID)
                .setParameter("subscription", id)
                .setParameter("since", since)
                .setParameter("until", until)
                .setParameter("limit", limit)
                .getSingleResult()).intValue();
    }

    private void checkDestination(String url) {
        destinations.refusal(url).ifPresent(refusal -> {
            throw new InvalidRequest(refusal);
        });
    }

    private static void checkManages(Caller caller, Row row) {
        String audience = row.text("audience");
        if (!caller.isAdmin() && (audience == null || !caller.actsFor(audience))) {
            throw new AccessDenied("Only admin, or the tenant of its audience, may use webhook subscription "
                    + row.uuid("id") + ".");
        }
    }

    private Row row(UUID id, boolean lock) {
        List<Row> rows = subscriptions("SELECT " + COLUMNS + " FROM webhook_subscription WHERE id = :id"
                + (lock ? " FOR UPDATE" : "")).setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            throw new SubscriptionNotFound(id);
        }
        return rows.get(0);
    }

    @SuppressWarnings("unchecked")
    private NativeQuery<Row> subscriptions(String sql) {
        return em.createNativeQuery(sql)
                .unwrap(NativeQuery.class)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("url", StandardBasicTypes.STRING)
                .addScalar("event_types", StandardBasicTypes.STRING)
                .addScalar("room_id", StandardBasicTypes.UUID)
                .addScalar("audience", StandardBasicTypes.STRING)
                .addScalar("enabled", StandardBasicTypes.BOOLEAN)
                .addScalar("disabled_reason", StandardBasicTypes.STRING)
                .addScalar("created_by", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("previous_secret_until", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME);
    }

    private static SubscriptionView view(Row row) {
        return new SubscriptionView(row.uuid("id").toString(), row.text("url"),
                Arrays.asList(row.text("event_types").split(",")),
                row.isNull("room_id") ? null : row.uuid("room_id").toString(), row.text("audience"),
                row.bool("enabled"), row.text("disabled_reason"), row.text("created_by"),
                Timestamps.format(row.instant("created_at")), null, timestamp(row, "previous_secret_until"));
    }

    /** PostgreSQL's text form of an array of these texts (event types: letters and dots only). */
    private static String textArray(List<String> texts) {
        return "{" + String.join(",", texts) + "}";
    }

    private static String timestamp(Row row, String column) {
        return row.isNull(column) ? null : Timestamps.format(row.instant(column));
    }
}
