package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.chatapi.platform.Timestamps;
import org.chatapi.rooms.entity.Message;

/** A chat message as the original API shows it ({@code __v} is always 0: messages are never edited). */
@JsonbPropertyOrder({"id", "user", "chat", "createdAt", "version"})
public record MessageView(
        @JsonbProperty("_id") String id,
        String user,
        String chat,
        String createdAt,
        @JsonbProperty("__v") int version) {

    static MessageView of(Message message) {
        return new MessageView(message.id().toString(), message.authorSub(), message.body(),
                Timestamps.format(message.createdAt()), 0);
    }
}
