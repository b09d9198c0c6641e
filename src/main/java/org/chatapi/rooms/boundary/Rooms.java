package org.chatapi.rooms.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Limits;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.entity.Room;

/**
 * Rooms: creating them and reading them (their messages are {@link Messages}'; the statements that read them,
 * {@link RoomRows}'). Each public method that writes is one transaction; reads join the caller's transaction if there
 * is one and otherwise run without one. A room is read with its message ids in one statement, so {@code chats} and
 * {@code __v} come from one snapshot. {@code chats} holds the latest ids only ({@link Limits#roomChatsMax()}, fewer
 * per room in a listing): a room that has lived for years costs what a small one costs; {@code __v} is always the
 * exact count, and the history has every message.
 */
@Stateless
public class Rooms {

    private static final UUID BEFORE_FIRST = new UUID(0, 0);

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    @Inject
    Limits limits;

    /** A new empty room owned by the caller. */
    public RoomView create(Caller caller) {
        Room room = open(caller.subject());
        return new RoomView(List.of(), room.id().toString(), room.ownerSub(), Timestamps.format(room.createdAt()), 0);
    }

    /** A new empty room owned by {@code owner}, in the caller's transaction (scoped chats create event rooms so). */
    public Room open(String owner) {
        Room room = new Room(Ids.newId(), owner, Timestamps.now());
        em.persist(room);
        return room;
    }

    /** The owner of a room, if it exists. */
    @TransactionAttribute(SUPPORTS)
    public Optional<String> ownerOf(UUID roomId) {
        return em.createQuery("SELECT r.ownerSub FROM Room r WHERE r.id = :id", String.class)
                .setParameter("id", roomId)
                .getResultList()
                .stream()
                .findFirst();
    }

    /** Up to {@code limit} rooms after the room {@code after} (or from the first), in id (= creation) order. */
    @TransactionAttribute(SUPPORTS)
    public List<RoomView> list(Caller caller, UUID after, int limit) {
        if (!caller.seesAllRooms()) {
            throw new AccessDenied("Listing all rooms needs the pro or admin group.");
        }
        return RoomRows.query(em, RoomRows.ROOM_COLUMNS + " WHERE r.id > :after ORDER BY r.id LIMIT :limit")
                .setParameter("inline", limits.roomListChatsMax())
                .setParameter("after", after == null ? BEFORE_FIRST : after)
                .setParameter("limit", limit)
                .getResultList()
                .stream()
                .map(RoomRows::roomView)
                .toList();
    }

    /** The room as the caller reads it, with its marker and unread count. */
    @TransactionAttribute(SUPPORTS)
    public ReadableRoom find(Caller caller, UUID roomId) {
        List<Row> rows = RoomRows.readable(em, RoomRows.READABLE_ROOM.formatted("room") + " WHERE r.id = :id", caller,
                limits.roomChatsMax())
                .setParameter("id", roomId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        ReadableRoom room = RoomRows.readableRoom(rows.get(0));
        access.check(caller, roomId, room.user());
        return room;
    }

    /**
     * The room's latest event (its latest post, and its changes since), after checking that the caller may read the
     * room: a new stream starts after it.
     */
    @TransactionAttribute(SUPPORTS)
    public RoomEventId latestEvent(Caller caller, UUID roomId) {
        Room room = em.find(Room.class, roomId);
        if (room == null) {
            throw new RoomNotFound(roomId);
        }
        access.check(caller, roomId, room.ownerSub());
        return new RoomEventId(room.messageCount(), room.changeCount());
    }
}
