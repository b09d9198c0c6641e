package org.chatapi.platform;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.query.TupleTransformer;

/**
 * One row of a native query, read by column name instead of by position: {@code query.setTupleTransformer(Row.BY_NAME)}
 * (the query names and types its columns with {@code addScalar}).
 */
public final class Row {

    public static final TupleTransformer<Row> BY_NAME = (tuple, aliases) -> {
        Map<String, Object> columns = new HashMap<>(aliases.length * 2);
        for (int i = 0; i < aliases.length; i++) {
            columns.put(aliases[i], tuple[i]);
        }
        return new Row(columns);
    };

    private final Map<String, Object> columns;

    private Row(Map<String, Object> columns) {
        this.columns = columns;
    }

    public boolean isNull(String column) {
        return get(column) == null;
    }

    public String text(String column) {
        return (String) get(column);
    }

    public UUID uuid(String column) {
        return (UUID) get(column);
    }

    public Integer integer(String column) {
        return (Integer) get(column);
    }

    public Long longValue(String column) {
        return (Long) get(column);
    }

    public Boolean bool(String column) {
        return (Boolean) get(column);
    }

    public byte[] bytes(String column) {
        return (byte[]) get(column);
    }

    public Instant instant(String column) {
        return (Instant) get(column);
    }

    private Object get(String column) {
        if (!columns.containsKey(column)) {
            throw new IllegalArgumentException("the query has no column " + column);
        }
        return columns.get(column);
    }
}
