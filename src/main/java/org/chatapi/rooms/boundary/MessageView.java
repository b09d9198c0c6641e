package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.chatapi.platform.Timestamps;
import org.chatapi.rooms.entity.Message;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A chat message as the original API shows it ({@code __v} is always 0: messages are never edited). */
@Schema(name = "Message")
@JsonbPropertyOrder({"id", "user", "chat", "createdAt", "version"})
public record MessageView(
        @Schema(description = "Message id (UUID)") @JsonbProperty("_id") String id,
        @Schema(description = "Subject of the author") String user,
        @Schema(description = "The text, exactly as posted") String chat,
        @Schema(description = "Post time, UTC, with milliseconds", example = "2020-10-19T11:49:13.379Z")
        String createdAt,
        @Schema(description = "Always 0") @JsonbProperty("__v") int version) {

    static MessageView of(Message message) {
        return new MessageView(message.id().toString(), message.authorSub(), message.body(),
                Timestamps.format(message.createdAt()), 0);
    }
}
