package org.chatapi.platform;

import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.id.uuid.UuidVersion7Strategy;

/** UUIDs: version 7 (time-ordered, RFC 9562) for new rows, and strict parsing of ids from requests. */
public final class Ids {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /**
     * A new UUID v7 from Hibernate's generator: Unix milliseconds, then the sub-millisecond time and a sequence that
     * only grows, so the ids one instance makes sort in the order it made them, within a millisecond too (rooms are
     * listed in id order). The generator is called here rather than from the mappings because some ids are needed
     * before their row is written (a chat is inserted with {@code ON CONFLICT}); it does not use the session.
     */
    public static UUID newId() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }

    /** Parses an id in canonical 8-4-4-4-12 form; anything else is a 400 naming the field. */
    public static UUID parse(String value, String field) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new InvalidRequest("\"" + field + "\" must be a UUID (8-4-4-4-12 hexadecimal digits).");
        }
        return UUID.fromString(value);
    }
}
