package org.chatapi.rooms.boundary;

import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.List;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * How rooms are read, in SQL: a room with its latest message ids, or a room as one caller reads it (its marker and
 * unread count), and the mapping of their rows to {@link RoomView} and {@link ReadableRoom}; for {@link Rooms} and the
 * inbox's pages.
 */
public final class RoomRows {

    /**
     * The ids of room r's latest {@code :inline} messages, in post order: read backwards on the index of
     * (room_id, position), so that the cost is that of the ids shown, whatever the size of the room.
     */
    private static final String LATEST_IDS = """
            (SELECT string_agg(latest.id::text, ',' ORDER BY latest.position)
               FROM (SELECT m.id, m.position FROM message m WHERE m.room_id = r.id
                      ORDER BY m.position DESC LIMIT :inline) latest) AS chats""";
    /** A room with its latest message ids ({@link #LATEST_IDS}). */
    static final String ROOM_COLUMNS = "SELECT r.id, r.owner_sub, r.created_at, r.message_count, "
            + LATEST_IDS + " FROM room r ";
    /**
     * The unread count of room {@code r} for the reader of marker {@code k} and author count {@code a} (both outer
     * joined): the messages after the marker, or after those removed by retention if that is later, less the
     * reader's own among them (its count in the room less those up to that point), so that no message is counted.
     */
    public static final String UNREAD = """
            r.message_count - GREATEST(COALESCE(k.position, 0), r.purged_through)
              - (COALESCE(a.message_count, 0) - GREATEST(COALESCE(k.own_through, 0), COALESCE(a.purged_count, 0)))""";
    /**
     * Rooms as {@code :reader} reads them, from the rooms named by {@code %s} (the table, or a subquery of its rows):
     * {@link #ROOM_COLUMNS} with the reader's marker and unread count ({@link #UNREAD}).
     */
    public static final String READABLE_ROOM = """
            SELECT r.id, r.owner_sub, r.created_at, r.message_count, r.last_activity_at, r.waiting_since,
                   r.purged_through, COALESCE(k.position, 0) AS read_position,
                   """ + UNREAD + """
             AS unread,
                   """ + LATEST_IDS + """

              FROM %s r
              LEFT JOIN read_marker k ON k.room_id = r.id AND k.reader_sub = :reader
              LEFT JOIN room_author a ON a.room_id = r.id AND a.author_sub = :reader
            """;

    private RoomRows() {
    }

    /** A statement that selects {@link #ROOM_COLUMNS}, its rows mapped by name. */
    @SuppressWarnings("unchecked")
    static NativeQuery<Row> query(EntityManager em, String sql) {
        return em.createNativeQuery(sql)
                .unwrap(NativeQuery.class)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("chats", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME);
    }

    /** A statement that selects {@link #READABLE_ROOM} as the caller reads it, with {@code inline} ids a room. */
    public static NativeQuery<Row> readable(EntityManager em, String sql, Caller caller, int inline) {
        return query(em, sql)
                .addScalar("last_activity_at", StandardBasicTypes.INSTANT)
                .addScalar("waiting_since", StandardBasicTypes.INSTANT)
                .addScalar("purged_through", StandardBasicTypes.INTEGER)
                .addScalar("read_position", StandardBasicTypes.INTEGER)
                .addScalar("unread", StandardBasicTypes.INTEGER)
                .setParameter("reader", caller.subject())
                .setParameter("inline", inline);
    }

    public static ReadableRoom readableRoom(Row row) {
        String chats = row.text("chats");
        return new ReadableRoom(chats == null ? List.of() : Arrays.asList(chats.split(",")), row.uuid("id").toString(),
                row.text("owner_sub"), Timestamps.format(row.instant("created_at")), row.integer("message_count"),
                Timestamps.format(row.instant("last_activity_at")), row.integer("read_position"), row.integer("unread"),
                row.isNull("waiting_since") ? null : Timestamps.format(row.instant("waiting_since")),
                row.integer("purged_through"));
    }

    static RoomView roomView(Row row) {
        String chats = row.text("chats");
        return new RoomView(chats == null ? List.of() : Arrays.asList(chats.split(",")), row.uuid("id").toString(),
                row.text("owner_sub"), Timestamps.format(row.instant("created_at")), row.integer("message_count"));
    }
}
