package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.chatapi.platform.Timestamps;
import org.chatapi.rooms.entity.Message;

/**
 * A chat message as the original API shows it, with what edits and deletion add (members left out while they do not
 * apply, so a message never changed looks as it always did): {@code __v} counts its edits, {@code editedAt} says
 * when the last was; a deleted message is a tombstone with {@code deleted: true}, an empty {@code chat}, when and by
 * whom it was deleted, and a moderator's reason if one was given.
 */
@JsonbPropertyOrder({"id", "user", "chat", "createdAt", "version", "editedAt", "deleted", "deletedAt", "deletedBy",
        "deleteReason"})
public record MessageView(
        @JsonbProperty("_id") String id,
        String user,
        String chat,
        String createdAt,
        @JsonbProperty("__v") int version,
        String editedAt,
        Boolean deleted,
        String deletedAt,
        String deletedBy,
        String deleteReason) {

    /** A message as posted: never edited, not deleted. */
    public static MessageView posted(String id, String user, String chat, String createdAt) {
        return new MessageView(id, user, chat, createdAt, 0, null, null, null, null, null);
    }

    static MessageView of(Message message) {
        return posted(message.id().toString(), message.authorSub(), message.body(),
                Timestamps.format(message.createdAt()));
    }
}
