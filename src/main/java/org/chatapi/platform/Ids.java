package org.chatapi.platform;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/** UUIDs: version 7 (time-ordered, RFC 9562) for new rows, and strict parsing of ids from requests. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /** A new UUID v7: 48 bits of Unix milliseconds, then random bits, so ids sort by creation time. */
    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long mostSignificant = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long leastSignificant = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    /** Parses an id in canonical 8-4-4-4-12 form; anything else is a 400 naming the field. */
    public static UUID parse(String value, String field) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new InvalidRequest("\"" + field + "\" must be a UUID (8-4-4-4-12 hexadecimal digits).");
        }
        return UUID.fromString(value);
    }
}
