package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A room as the original API shows it: its message ids in post order, and their count as {@code __v}. */
@Schema(name = "Room")
@JsonbPropertyOrder({"chats", "id", "user", "createdAt", "version"})
public record RoomView(
        @Schema(description = "Ids of the room's messages, in post order") List<String> chats,
        @Schema(description = "Room id (UUID)") @JsonbProperty("_id") String id,
        @Schema(description = "Subject of the room's creator") String user,
        @Schema(description = "Creation time, UTC, with milliseconds", example = "2020-10-17T07:27:48.019Z")
        String createdAt,
        @Schema(description = "Number of messages posted into the room") @JsonbProperty("__v") int version) {
}
