package org.chatapi.inbox;

import static jakarta.ejb.TransactionAttributeType.REQUIRED;
import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.Row;
import org.chatapi.rooms.boundary.MessageRows;
import org.chatapi.rooms.boundary.MessageView;
import org.chatapi.rooms.boundary.RoomAccess;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The inbox event log (table inbox_event), which triggers write in the transaction of each change. Events are read
 * in (transaction id, sequence) order, and only those of transactions older than every transaction still running:
 * an event read is never followed by one that commits later with a place before it. So an id is a cursor that
 * resumes exactly, on any instance.
 */
@Stateless
@TransactionAttribute(SUPPORTS)
public class InboxEvents {

    private static final Logger LOG = Logger.getLogger(InboxEvents.class.getName());

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    @Inject
    @ConfigProperty(name = "chat.inbox.event-retention-hours", defaultValue = "168")
    long retentionHours;

    /** An event's place in the log, its SSE id {@code <tx>-<seq>}. */
    public record EventId(long tx, long seq) implements Comparable<EventId> {

        public static EventId parse(String value, String name) {
            int dash = value.indexOf('-');
            try {
                EventId id = new EventId(Long.parseLong(value.substring(0, Math.max(dash, 0))),
                        Long.parseLong(value.substring(dash + 1)));
                if (id.tx >= 0 && id.seq >= 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new InvalidRequest("\"" + name + "\" must be an inbox event id: <transaction>-<sequence>.");
        }

        @Override
        public int compareTo(EventId other) {
            int byTx = Long.compare(tx, other.tx);
            return byTx != 0 ? byTx : Long.compare(seq, other.seq);
        }

        @Override
        public String toString() {
            return tx + "-" + seq;
        }
    }

    /**
     * One event, with what delivering it needs: the room's owner and audience (who may read it) and, for a post,
     * edit or deletion, the message as it is now. {@code ready} is false for an event that may still be preceded by
     * one committing later.
     */
    public record Event(EventId id, boolean ready, String kind, UUID roomId, int position, String readerSub,
                        String ownerSub, String audience, MessageView message) {

        /**
         * Whether this is a post, edit or deletion of a message that retention has removed since: it is not
         * delivered (the room's purge event, later in the log, tells of it).
         */
        public boolean gone() {
            return message == null && List.of("message", "edit", "delete").contains(kind);
        }
    }

    /**
     * Where a stream that does not resume starts: the transactions that had committed at that moment (a snapshot:
     * those older than {@code xmin}, and those from {@code xmin} to {@code xmax} that were not running). Its events
     * are the past; every later one is the stream's.
     */
    public record Start(long xmin, long xmax, Set<Long> running) {

        /** The id a stream starts after: every event of the transactions older than the snapshot's oldest. */
        public EventId cursor() {
            return new EventId(xmin, 0);
        }

        /** Whether the event's transaction had committed when the stream started (so it is not the stream's). */
        public boolean before(EventId event) {
            return event.tx() < xmin || (event.tx() < xmax && !running.contains(event.tx()));
        }
    }

    public Start now() {
        String[] snapshot = em.createNativeQuery("SELECT pg_current_snapshot()::text").getSingleResult().toString()
                .split(":", -1);
        Set<Long> running = snapshot[2].isEmpty() ? Set.of()
                : Arrays.stream(snapshot[2].split(",")).map(Long::valueOf).collect(Collectors.toUnmodifiableSet());
        return new Start(Long.parseLong(snapshot[0]), Long.parseLong(snapshot[1]), running);
    }

    /** Up to {@code limit} events after {@code after}, in log order. */
    @SuppressWarnings("unchecked")
    public List<Event> after(EventId after, int limit) {
        NativeQuery<Row> query = em.createNativeQuery("""
                        SELECT e.tx::text AS tx, e.seq, e.kind, e.room_id AS event_room_id,
                               e.position AS event_position, e.reader_sub,
                               e.tx < pg_snapshot_xmin(pg_current_snapshot()) AS ready,
                               r.owner_sub, ra.audience, %s
                          FROM inbox_event e
                          JOIN room r ON r.id = e.room_id
                          LEFT JOIN (%s) ra ON ra.room_id = e.room_id
                          LEFT JOIN message m ON e.kind IN ('message', 'edit', 'delete')
                                             AND m.room_id = e.room_id AND m.position = e.position
                         WHERE (e.tx, e.seq) > (CAST(CAST(:tx AS text) AS xid8), :seq)
                         ORDER BY e.tx, e.seq
                         LIMIT :limit""".formatted(MessageRows.COLUMNS, access.audienceRoomsSql()))
                .setParameter("tx", Long.toString(after.tx()))
                .setParameter("seq", after.seq())
                .setParameter("limit", limit)
                .unwrap(NativeQuery.class)
                .addScalar("tx", StandardBasicTypes.STRING)
                .addScalar("seq", StandardBasicTypes.LONG)
                .addScalar("kind", StandardBasicTypes.STRING)
                .addScalar("event_room_id", StandardBasicTypes.UUID)
                .addScalar("event_position", StandardBasicTypes.INTEGER)
                .addScalar("reader_sub", StandardBasicTypes.STRING)
                .addScalar("ready", StandardBasicTypes.BOOLEAN)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("audience", StandardBasicTypes.STRING);
        return MessageRows.withColumns(query).getResultList().stream().map(row -> new Event(
                new EventId(Long.parseLong(row.text("tx")), row.longValue("seq")), row.bool("ready"), row.text("kind"),
                row.uuid("event_room_id"), row.integer("event_position"), row.text("reader_sub"),
                row.text("owner_sub"), row.text("audience"), row.isNull("id") ? null : MessageRows.view(row)))
                .toList();
    }

    /** Forgets events older than the retention ({@code CHAT_INBOX_EVENT_RETENTION_HOURS}); hourly. */
    @Schedule(hour = "*", minute = "41", persistent = false)
    @TransactionAttribute(REQUIRED)
    public void purge() {
        int purged = em.createNativeQuery("DELETE FROM inbox_event WHERE created_at < :before")
                .setParameter("before", Instant.now().minus(Duration.ofHours(retentionHours)))
                .executeUpdate();
        if (purged > 0) {
            LOG.info(() -> "Purged " + purged + " inbox events older than " + retentionHours + " hours");
        }
    }
}
