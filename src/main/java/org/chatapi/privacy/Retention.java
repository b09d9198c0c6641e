package org.chatapi.privacy;

import static jakarta.ejb.TransactionAttributeType.REQUIRES_NEW;
import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Row;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.RoomAccess;
import org.chatapi.rooms.boundary.RoomNotFound;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * How long a room's messages are kept, and their removal once they are older. Every room keeps its messages for the
 * server's default ({@code CHAT_MESSAGE_RETENTION_DAYS}; without one, until erased) unless an admin or the room's
 * tenant set its own period.
 *
 * <p>Removal takes a room's oldest messages first, a batch at a time, each batch a transaction of its own ({@link
 * #purge}): it removes the messages and their edit history, moves the room's {@code purged_through} to the last
 * position removed, counts the authors' share of them and records the purge as the room's next event (replacing the
 * previous purge), all committed together. The room is locked (as a post locks it) only for those last statements,
 * so posts go on beside it; one instance at a time purges a room, and what it removes is decided from
 * {@code purged_through}, so no message is removed twice or skipped. An edit of a message in the very batch being
 * removed may meet the purge in a deadlock, which the database resolves by refusing one of them (an edit answered
 * 503, to be retried; or a batch, done again by the next sweep).
 */
@Stateless
public class Retention {

    /** The longest retention a room may have, in days (100 years). */
    static final int MAX_DAYS = 36_500;
    /** The first key of the advisory locks that keep a room's purge to one instance at a time. */
    private static final int ADVISORY_LOCK_CLASS = 0x52455445;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    @Inject
    Event<RetentionSweep.Changed> changed;

    @Inject
    @ConfigProperty(name = "chat.message-retention-days")
    Optional<Integer> defaultDays;

    @PostConstruct
    void checkDefault() {
        defaultDays.filter(days -> days < 1 || days > MAX_DAYS).ifPresent(days -> {
            throw new IllegalStateException("CHAT_MESSAGE_RETENTION_DAYS must be 1 to " + MAX_DAYS + ": " + days);
        });
    }

    /** The room's retention, for whoever may read the room. */
    @TransactionAttribute(SUPPORTS)
    public RetentionView find(Caller caller, UUID roomId) {
        Row room = room(roomId, false);
        access.check(caller, roomId, room.text("owner_sub"));
        return view(roomId, room);
    }

    /**
     * Sets the room's own retention ({@code days}), or returns it to the server's default ({@code null}): by an admin,
     * or by the tenant the room is open to. Audited; the room is swept at once once committed.
     */
    public RetentionView set(Caller caller, UUID roomId, Integer days) {
        Row before = room(roomId, true);
        if (!caller.isAdmin() && access.audienceOf(roomId).filter(caller::actsFor).isEmpty()) {
            throw new AccessDenied("Only admin or the tenant room " + roomId + " is open to may set its retention.");
        }
        em.createNativeQuery("UPDATE room SET retention_days = :days WHERE id = :room")
                .unwrap(NativeQuery.class)
                .setParameter("days", days, StandardBasicTypes.INTEGER)
                .setParameter("room", roomId)
                .executeUpdate();
        DataRequests.record(em, "retention", null, roomId, caller.subject(), "retention of room " + roomId + ": "
                + describe(days) + " (was " + describe(before.integer("retention_days")) + ")");
        changed.fire(new RetentionSweep.Changed(roomId));
        return view(roomId, room(roomId, false));
    }

    /**
     * A page of rooms in id order after {@code after}, each room's id and whether it has messages to remove: every
     * room where the server has a default retention, else the rooms that have their own.
     */
    @TransactionAttribute(SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<Row> page(UUID after, int size) {
        return em.createNativeQuery("""
                        SELECT r.id,
                               EXISTS (SELECT 1 FROM message m
                                        WHERE m.room_id = r.id AND m.position = r.purged_through + 1
                                          AND m.created_at < now() - make_interval(days => r.days)) AS due
                          FROM (SELECT id, purged_through, COALESCE(retention_days, :default) AS days FROM room
                                 WHERE id > :after %s ORDER BY id LIMIT :size) r"""
                        .formatted(defaultDays.isPresent() ? "" : "AND retention_days IS NOT NULL"))
                .unwrap(NativeQuery.class)
                .setParameter("default", defaultDays.orElse(null), StandardBasicTypes.INTEGER)
                .setParameter("after", after)
                .setParameter("size", size)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("due", StandardBasicTypes.BOOLEAN)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
    }

    /**
     * Removes up to {@code batch} of the room's oldest messages that are past its retention, in a transaction of its
     * own; answers how many (0: none is due; -1: another instance is purging the room now). The rows are deleted
     * before the room is locked, so a post into the room waits only for the last statements: the room's purged
     * position and change count, the authors' counts and the purge event (in the lock order of posts: room, then
     * author). One purger per room at a time, by a transaction-scoped advisory lock that posts do not take.
     */
    @TransactionAttribute(REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public int purge(UUID roomId, int batch) {
        Object claimed = em.createNativeQuery(
                        "SELECT pg_try_advisory_xact_lock(:purging, hashtext(CAST(:room AS text)))")
                .setParameter("purging", ADVISORY_LOCK_CLASS)
                .setParameter("room", roomId)
                .getSingleResult();
        if (!Boolean.TRUE.equals(claimed)) {
            return -1;
        }
        Object[] room = (Object[]) em.createNativeQuery("""
                        SELECT purged_through, COALESCE(retention_days, :default) FROM room WHERE id = :room""")
                .unwrap(NativeQuery.class)
                .setParameter("default", defaultDays.orElse(null), StandardBasicTypes.INTEGER)
                .setParameter("room", roomId)
                .getResultStream().findFirst().orElse(null);
        if (room == null || room[1] == null) {
            return 0;
        }
        int from = ((Number) room[0]).intValue();
        // The batch's oldest messages, up to the first one that is not due (post order and time order agree, but
        // for the moment between taking a post's time and taking the room's lock).
        Number through = (Number) em.createNativeQuery("""
                        WITH batch AS (SELECT position, created_at FROM message
                                        WHERE room_id = :room AND position > :from ORDER BY position LIMIT :batch)
                        SELECT COALESCE((SELECT min(position) FROM batch
                                          WHERE created_at >= now() - make_interval(days => :days)) - 1,
                                        (SELECT max(position) FROM batch))""")
                .setParameter("room", roomId)
                .setParameter("from", from)
                .setParameter("batch", batch)
                .setParameter("days", ((Number) room[1]).intValue())
                .getSingleResult();
        if (through == null || through.intValue() <= from) {
            return 0;
        }
        List<Object[]> authors = em.createNativeQuery("""
                        WITH changes AS (
                            DELETE FROM message_change
                             WHERE room_id = :room AND position > :from AND position <= :through),
                        removed AS (
                            DELETE FROM message WHERE room_id = :room AND position > :from AND position <= :through
                            RETURNING author_sub, author_seq)
                        SELECT author_sub, max(author_seq), count(*) FROM removed GROUP BY author_sub""")
                .setParameter("room", roomId)
                .setParameter("from", from)
                .setParameter("through", through.intValue())
                .getResultList();
        em.createNativeQuery("""
                        WITH bumped AS (
                            UPDATE room SET purged_through = :through, change_count = change_count + 1
                             WHERE id = :room
                            RETURNING message_count, change_count),
                        previous AS (
                            DELETE FROM message_change WHERE room_id = :room AND position IS NULL)
                        INSERT INTO message_change (room_id, after_position, change_no, position, kind, version,
                                                    replaced_body, changed_by, changed_at, purged_through)
                        SELECT :room, message_count, change_count, NULL, 'purge', 0, NULL, NULL, now(), :through
                          FROM bumped""")
                .setParameter("room", roomId)
                .setParameter("through", through.intValue())
                .executeUpdate();
        int removed = 0;
        for (Object[] author : authors) {
            em.createNativeQuery("""
                            UPDATE room_author SET purged_count = GREATEST(purged_count, :seq)
                             WHERE room_id = :room AND author_sub = :author""")
                    .setParameter("seq", ((Number) author[1]).intValue())
                    .setParameter("room", roomId)
                    .setParameter("author", author[0])
                    .executeUpdate();
            removed += ((Number) author[2]).intValue();
        }
        return removed;
    }

    /** The room's owner, own retention and purged position; locked for update with {@code lock}. */
    @SuppressWarnings("unchecked")
    private Row room(UUID roomId, boolean lock) {
        List<Row> rows = em.createNativeQuery("SELECT owner_sub, retention_days, purged_through FROM room WHERE id = :room"
                        + (lock ? " FOR UPDATE" : ""))
                .setParameter("room", roomId)
                .unwrap(NativeQuery.class)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("retention_days", StandardBasicTypes.INTEGER)
                .addScalar("purged_through", StandardBasicTypes.INTEGER)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        return rows.get(0);
    }

    private RetentionView view(UUID roomId, Row room) {
        Integer days = room.integer("retention_days");
        Integer fallback = defaultDays.orElse(null);
        return new RetentionView(roomId.toString(), days, fallback, days != null ? days : fallback,
                room.integer("purged_through"));
    }

    private String describe(Integer days) {
        return days == null ? "the default" : days + " days";
    }
}
