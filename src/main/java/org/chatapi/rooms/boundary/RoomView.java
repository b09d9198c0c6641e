package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** A room as the original API shows it: its message ids in post order, and their count as {@code __v}. */
@JsonbPropertyOrder({"chats", "id", "user", "createdAt", "version"})
public record RoomView(List<String> chats, @JsonbProperty("_id") String id, String user, String createdAt,
                       @JsonbProperty("__v") int version) {
}
