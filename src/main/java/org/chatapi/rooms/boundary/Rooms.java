package org.chatapi.rooms.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Arrays;
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
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Rooms: creating them and reading them (their messages are {@link Messages}'). Each public method that writes is one
 * transaction; reads join the caller's transaction if there is one and otherwise run without one. A room is read
 * with its message ids in one statement, so {@code chats} and {@code __v} come from one snapshot. {@code chats} holds
 * the latest ids only ({@link Limits#roomChatsMax()}, fewer per room in a listing): a room that has lived for years
 * costs what a small one costs; {@code __v} is always the exact count, and the history has every message.
 */
@Stateless
public class Rooms {

    private static final UUID BEFORE_FIRST = new UUID(0, 0);
    /**
     * The ids of room r's latest {@code :inline} messages, in post order: read backwards on the index of
     * (room_id, position), so that the cost is that of the ids shown, whatever the size of the room.
     */
    private static final String LATEST_IDS = """
            (SELECT string_agg(latest.id::text, ',' ORDER BY latest.position)
               FROM (SELECT m.id, m.position FROM message m WHERE m.room_id = r.id
                      ORDER BY m.position DESC LIMIT :inline) latest) AS chats""";
    /** A room with its latest message ids ({@link #LATEST_IDS}). */
    private static final String ROOM_COLUMNS = "SELECT r.id, r.owner_sub, r.created_at, r.message_count, "
            + LATEST_IDS + " FROM room r ";
    /**
     * Rooms as {@code :reader} reads them, from the rooms named by {@code %s} (the table, or a subquery of its rows):
     * {@link #ROOM_COLUMNS} with the reader's marker and unread count. Unread: the messages after the marker, less
     * the reader's own among them (its count in the room less those up to the marker), so no message is counted.
     */
    private static final String READABLE_ROOM = """
            SELECT r.id, r.owner_sub, r.created_at, r.message_count, r.last_activity_at, r.waiting_since,
                   COALESCE(k.position, 0) AS read_position,
                   r.message_count - COALESCE(k.position, 0)
                     - (COALESCE(a.message_count, 0) - COALESCE(k.own_through, 0)) AS unread,
                   """ + LATEST_IDS + """

              FROM %s r
              LEFT JOIN read_marker k ON k.room_id = r.id AND k.reader_sub = :reader
              LEFT JOIN room_author a ON a.room_id = r.id AND a.author_sub = :reader
            """;

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
        return roomQuery(ROOM_COLUMNS + " WHERE r.id > :after ORDER BY r.id LIMIT :limit")
                .setParameter("inline", limits.roomListChatsMax())
                .setParameter("after", after == null ? BEFORE_FIRST : after)
                .setParameter("limit", limit)
                .getResultList()
                .stream()
                .map(Rooms::roomView)
                .toList();
    }

    /** The room as the caller reads it, with its marker and unread count. */
    @TransactionAttribute(SUPPORTS)
    public ReadableRoom find(Caller caller, UUID roomId) {
        List<Row> rows = readableRoomQuery(READABLE_ROOM.formatted("room") + " WHERE r.id = :id", caller,
                limits.roomChatsMax())
                .setParameter("id", roomId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        ReadableRoom room = readableRoom(rows.get(0));
        access.check(caller, roomId, room.user());
        return room;
    }

    /**
     * A page of the rooms the caller may read, as it reads them: the most recently active first, or, with
     * {@code waiting}, only those whose owner waits for a reply, the longest waiting first. One statement, whatever
     * the page size: rooms, markers, unread counts and the latest message ids come from one snapshot.
     */
    @TransactionAttribute(SUPPORTS)
    public List<InboxCursor.Entry> inbox(Caller caller, InboxCursor after, int limit, boolean waiting) {
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
        NativeQuery<Row> query = readableRoomQuery(READABLE_ROOM.formatted(rooms) + " WHERE " + page, caller,
                limits.roomListChatsMax())
                .setParameter("limit", limit);
        if (!caller.seesAllRooms() && !caller.audiences().isEmpty()) {
            query.setParameterList("audiences", caller.audiences());
        }
        if (after != null) {
            query.setParameter("at", after.at()).setParameter("after", after.id());
        }
        return query.getResultList().stream()
                .map(row -> new InboxCursor.Entry(readableRoom(row),
                        new InboxCursor(row.instant(waiting ? "waiting_since" : "last_activity_at"), row.uuid("id"))))
                .toList();
    }

    /** The room's message count, after checking that the caller may read the room (live delivery starts here). */
    @TransactionAttribute(SUPPORTS)
    public int messageCount(Caller caller, UUID roomId) {
        Room room = em.find(Room.class, roomId);
        if (room == null) {
            throw new RoomNotFound(roomId);
        }
        access.check(caller, roomId, room.ownerSub());
        return room.messageCount();
    }

    @SuppressWarnings("unchecked")
    private NativeQuery<Row> roomQuery(String sql) {
        return em.createNativeQuery(sql)
                .unwrap(NativeQuery.class)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("chats", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME);
    }

    private NativeQuery<Row> readableRoomQuery(String sql, Caller caller, int inline) {
        return roomQuery(sql)
                .addScalar("last_activity_at", StandardBasicTypes.INSTANT)
                .addScalar("waiting_since", StandardBasicTypes.INSTANT)
                .addScalar("read_position", StandardBasicTypes.INTEGER)
                .addScalar("unread", StandardBasicTypes.INTEGER)
                .setParameter("reader", caller.subject())
                .setParameter("inline", inline);
    }

    private static ReadableRoom readableRoom(Row row) {
        String chats = row.text("chats");
        return new ReadableRoom(chats == null ? List.of() : Arrays.asList(chats.split(",")), row.uuid("id").toString(),
                row.text("owner_sub"), Timestamps.format(row.instant("created_at")), row.integer("message_count"),
                Timestamps.format(row.instant("last_activity_at")), row.integer("read_position"), row.integer("unread"),
                row.isNull("waiting_since") ? null : Timestamps.format(row.instant("waiting_since")));
    }

    private static RoomView roomView(Row row) {
        String chats = row.text("chats");
        return new RoomView(chats == null ? List.of() : Arrays.asList(chats.split(",")), row.uuid("id").toString(),
                row.text("owner_sub"), Timestamps.format(row.instant("created_at")), row.integer("message_count"));
    }
}
