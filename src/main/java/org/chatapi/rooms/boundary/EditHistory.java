package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * A message as it is now and every text it had, oldest first ({@code GET /room/{id}/chat/{chatId}/edits}): each
 * text with its version, when it was written and when it was replaced (by an edit, or by the deletion); the current
 * text, last, has no {@code replacedAt}.
 */
@JsonbPropertyOrder({"chat", "texts"})
public record EditHistory(MessageView chat, List<Text> texts) {

    @JsonbPropertyOrder({"version", "chat", "writtenAt", "replacedAt"})
    public record Text(@JsonbProperty("__v") int version, String chat, String writtenAt, String replacedAt) {
    }
}
