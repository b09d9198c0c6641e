package org.chatapi.inbox;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.UUID;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.MessageNotFound;
import org.chatapi.rooms.boundary.RoomAccess;
import org.chatapi.rooms.boundary.RoomNotFound;
import org.chatapi.rooms.boundary.RoomRows;
import org.chatapi.rooms.boundary.WrongRoomAndChat;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Read markers (table read_marker): how far each caller has read each room. A marker only moves forward, in one
 * statement that keeps the furthest of concurrent updates; with it is stored how many of the messages up to it the
 * caller wrote itself, which is what makes its unread count exact without counting messages. Three statements per
 * update (four for an audience member), whatever the size of the room, besides the caller's rate counter.
 */
@Stateless
public class ReadMarkers {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    /**
     * Marks the room read up to a message, given by its id ({@code messageId}) or its position: refused if the
     * caller may not read the room, or the message is not one of the room's. Answers the caller's marker after the
     * update, which is further than asked if another update took it further.
     */
    public MarkerView mark(Caller caller, UUID roomId, UUID messageId, int position) {
        Row room = roomAndMessage(roomId, messageId);
        access.check(caller, roomId, room.text("owner_sub"));
        int count = room.integer("message_count");
        if (messageId != null) {
            if (room.isNull("message_room")) {
                throw new MessageNotFound(messageId);
            }
            if (!roomId.equals(room.uuid("message_room"))) {
                throw new WrongRoomAndChat(roomId, messageId);
            }
            position = room.integer("position");
        } else if (position > count) {
            throw new MarkerBeyondLastMessage(roomId, position, count);
        }
        // Every message up to the position is committed (the count covers it), so own_through is final. Where the
        // reader's latest message up to it was removed by retention, its count of those removed stands in (exact
        // where the position is past the removed ones; below them, the unread count does not read it).
        em.createNativeQuery("""
                        INSERT INTO read_marker (room_id, reader_sub, position, own_through, updated_at)
                        SELECT :room, :reader, :position,
                               COALESCE((SELECT m.author_seq FROM message m
                                          WHERE m.room_id = :room AND m.author_sub = :reader AND m.position <= :position
                                          ORDER BY m.position DESC LIMIT 1),
                                        (SELECT LEAST(a.purged_count, :position) FROM room_author a
                                          WHERE a.room_id = :room AND a.author_sub = :reader), 0),
                               :now
                        ON CONFLICT (room_id, reader_sub) DO UPDATE
                           SET position = EXCLUDED.position, own_through = EXCLUDED.own_through,
                               updated_at = EXCLUDED.updated_at
                         WHERE read_marker.position < EXCLUDED.position""")
                .setParameter("room", roomId)
                .setParameter("reader", caller.subject())
                .setParameter("position", position)
                .setParameter("now", Timestamps.now())
                .executeUpdate();
        return marker(caller, roomId);
    }

    /** The caller's marker in the room, if it may read the room. */
    @TransactionAttribute(SUPPORTS)
    public MarkerView find(Caller caller, UUID roomId) {
        access.check(caller, roomId, roomAndMessage(roomId, null).text("owner_sub"));
        return marker(caller, roomId);
    }

    /** The caller's marker in the room (position 0 before the first update), with its unread count. */
    @SuppressWarnings("unchecked")
    private MarkerView marker(Caller caller, UUID roomId) {
        Row row = ((NativeQuery<Row>) em.createNativeQuery("""
                        SELECT COALESCE(k.position, 0) AS position, k.updated_at, m.id AS chat,
                               """ + RoomRows.UNREAD + """
                         AS unread
                          FROM room r
                          LEFT JOIN read_marker k ON k.room_id = r.id AND k.reader_sub = :reader
                          LEFT JOIN room_author a ON a.room_id = r.id AND a.author_sub = :reader
                          LEFT JOIN message m ON m.room_id = r.id AND m.position = k.position
                         WHERE r.id = :room""")
                .setParameter("room", roomId)
                .setParameter("reader", caller.subject())
                .unwrap(NativeQuery.class)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("updated_at", StandardBasicTypes.INSTANT)
                .addScalar("chat", StandardBasicTypes.UUID)
                .addScalar("unread", StandardBasicTypes.INTEGER)
                .setTupleTransformer(Row.BY_NAME))
                .getSingleResult();
        return new MarkerView(roomId.toString(), caller.subject(), row.integer("position"),
                row.isNull("chat") ? null : row.uuid("chat").toString(), row.integer("unread"),
                row.isNull("updated_at") ? null : Timestamps.format(row.instant("updated_at")));
    }

    @SuppressWarnings("unchecked")
    private Row roomAndMessage(UUID roomId, UUID messageId) {
        List<Row> rows = em.createNativeQuery("""
                        SELECT r.owner_sub, r.message_count, m.room_id AS message_room, m.position
                          FROM room r LEFT JOIN message m ON m.id = :message
                         WHERE r.id = :room""")
                .setParameter("room", roomId)
                .setParameter("message", messageId == null ? new UUID(0, 0) : messageId)
                .unwrap(NativeQuery.class)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("message_room", StandardBasicTypes.UUID)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        return rows.get(0);
    }
}
