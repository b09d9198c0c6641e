package org.chatapi.rooms.boundary;

import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * How a message is read, in SQL: the columns of a message row (table alias {@code m}) and the mapping of a row that
 * has them to {@link MessageView}, the message as it is now (its text, or its tombstone); for {@link Messages} and
 * the inbox stream's events.
 */
public final class MessageRows {

    /** The columns of a message row (alias {@code m}) that {@link #view(Row)} reads. */
    public static final String COLUMNS = """
            m.id, m.room_id, m.position, m.author_sub, m.body, m.created_at, m.version, m.edited_at, m.deleted_at,
            m.deleted_by, m.delete_reason""";

    private MessageRows() {
    }

    /** Adds the types of {@link #COLUMNS} to the query's result, read by name. */
    public static NativeQuery<Row> withColumns(NativeQuery<Row> query) {
        return query.addScalar("id", StandardBasicTypes.UUID)
                .addScalar("room_id", StandardBasicTypes.UUID)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("author_sub", StandardBasicTypes.STRING)
                .addScalar("body", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("version", StandardBasicTypes.INTEGER)
                .addScalar("edited_at", StandardBasicTypes.INSTANT)
                .addScalar("deleted_at", StandardBasicTypes.INSTANT)
                .addScalar("deleted_by", StandardBasicTypes.STRING)
                .addScalar("delete_reason", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME);
    }

    /** The message of a row with {@link #COLUMNS}, as it is now: its text, or its tombstone. */
    public static MessageView view(Row row) {
        boolean deleted = !row.isNull("deleted_at");
        return new MessageView(row.uuid("id").toString(), row.text("author_sub"), deleted ? "" : row.text("body"),
                Timestamps.format(row.instant("created_at")), row.integer("version"), timestamp(row, "edited_at"),
                deleted ? Boolean.TRUE : null, timestamp(row, "deleted_at"), row.text("deleted_by"),
                row.text("delete_reason"));
    }

    private static String timestamp(Row row, String column) {
        return row.isNull(column) ? null : Timestamps.format(row.instant(column));
    }
}
