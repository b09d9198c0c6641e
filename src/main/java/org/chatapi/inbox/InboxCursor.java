package org.chatapi.inbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.rooms.boundary.ReadableRoom;

/**
 * Where a page of the inbox ends: the sort time of its last room (latest activity, or waiting since) and the room's
 * id, written {@code <epoch microseconds>_<room id>} (the database's precision, so no room is skipped or repeated).
 */
public record InboxCursor(Instant at, UUID id) {

    /** A room of an inbox page, and the cursor of a page that ends with it. */
    public record Entry(ReadableRoom room, InboxCursor cursor) {
    }

    public static InboxCursor parse(String value, String name) {
        int separator = value.indexOf('_');
        if (separator < 1 || separator > 18) {
            throw new InvalidRequest("\"" + name + "\" must be a cursor from a Link of the inbox: "
                    + "<epoch microseconds>_<room id>.");
        }
        long micros;
        try {
            micros = Long.parseLong(value.substring(0, separator));
        } catch (NumberFormatException e) {
            throw new InvalidRequest("\"" + name + "\" must start with epoch microseconds.");
        }
        if (micros < 0) {
            throw new InvalidRequest("\"" + name + "\" must start with epoch microseconds.");
        }
        return new InboxCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                Ids.parse(value.substring(separator + 1), name));
    }

    @Override
    public String toString() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at) + "_" + id;
    }
}
