package org.chatapi.inbox;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A caller's read marker in a room: the position of the last message read and that message's id (null at 0),
 * the caller's unread count there, and when the marker last moved (null if it never did).
 */
@JsonbPropertyOrder({"room", "user", "position", "chat", "unread", "updatedAt"})
public record MarkerView(String room, String user, int position, @JsonbNillable String chat, int unread,
                         @JsonbNillable String updatedAt) {
}
