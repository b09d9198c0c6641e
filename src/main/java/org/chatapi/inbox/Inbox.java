package org.chatapi.inbox;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.chatapi.platform.Limits;
import org.chatapi.platform.Row;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.RoomAccess;
import org.chatapi.rooms.boundary.RoomRows;
import org.hibernate.query.NativeQuery;

/**
 * The inbox's pages: the rooms a caller may read, as it reads them ({@link RoomRows#READABLE_ROOM}), in the order of
 * their latest activity or of how long their owner has waited for a reply. Reads only, each without a transaction of
 * its own.
 */
@Stateless
public class Inbox {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    @Inject
    Limits limits;

    /**
     * A page of the rooms the caller may read, as it reads them: the most recently active first, or, with
     * {@code waiting}, only those whose owner waits for a reply, the longest waiting first. One statement, whatever
     * the page size: rooms, markers, unread counts and the latest message ids come from one snapshot.
     */
    @TransactionAttribute(SUPPORTS)
    public List<InboxCursor.Entry> page(Caller caller, InboxCursor after, int limit, boolean waiting) {
        String order = waiting ? "r.waiting_since, r.id" : "r.last_activity_at DESC, r.id DESC";
        String page = (waiting ? "r.waiting_since IS NOT NULL AND " : "")
                + (after == null ? "true" : waiting ? "(r.waiting_since, r.id) > (:at, :after)"
                        : "(r.last_activity_at, r.id) < (:at, :after)")
                + " ORDER BY " + order + " LIMIT :limit";
        String rooms = "room";
        if (!caller.seesAllRooms()) {
            // Each kind of room the caller may read is paged on its own, so each can use its index; then merged.
            rooms = "((SELECT r.* FROM room r WHERE r.owner_sub = :reader AND " + page + ")";
            if (!caller.audiences().isEmpty()) {
                rooms += " UNION (SELECT r.* FROM room r WHERE r.id IN (SELECT ra.room_id FROM ("
                        + access.audienceRoomsSql() + ") ra WHERE ra.audience IN (:audiences)) AND " + page + ")";
            }
            rooms += ")";
        }
        NativeQuery<Row> query = RoomRows.readable(em, RoomRows.READABLE_ROOM.formatted(rooms) + " WHERE " + page,
                        caller, limits.roomListChatsMax())
                .setParameter("limit", limit);
        if (!caller.seesAllRooms() && !caller.audiences().isEmpty()) {
            query.setParameterList("audiences", caller.audiences());
        }
        if (after != null) {
            query.setParameter("at", after.at()).setParameter("after", after.id());
        }
        return query.getResultList().stream()
                .map(row -> new InboxCursor.Entry(RoomRows.readableRoom(row),
                        new InboxCursor(row.instant(waiting ? "waiting_since" : "last_activity_at"), row.uuid("id"))))
                .toList();
    }
}
