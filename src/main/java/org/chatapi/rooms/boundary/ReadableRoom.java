package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbTransient;
import java.util.List;

/**
 * A room as one caller reads it: the original shape ({@link RoomView}), then the room's latest activity, how far the
 * caller has read it ({@code readPosition}, 0 before any marker), how many messages of others it has not read, and
 * since when the room's owner waits for a reply (null when the latest message is not the owner's). Not shown: the
 * last position retention removed ({@code GET /room/{id}/retention} shows it), where the room's history starts.
 */
@JsonbPropertyOrder({"chats", "id", "user", "createdAt", "version", "lastActivityAt", "readPosition", "unread",
        "waitingSince"})
public record ReadableRoom(List<String> chats, @JsonbProperty("_id") String id, String user, String createdAt,
                           @JsonbProperty("__v") int version, String lastActivityAt, int readPosition, int unread,
                           @JsonbNillable String waitingSince, @JsonbTransient int purgedThrough) {
}
