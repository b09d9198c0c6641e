package org.chatapi.scopedchats.boundary;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A scoped chat as every chat route answers it. {@code id} is the scope, as the original API specifies. */
@Schema(name = "Chat")
@JsonbNillable
@JsonbPropertyOrder({"id", "chatId", "audience", "scope", "tags", "realTime", "createdAt"})
public record ChatView(
        @Schema(description = "The scope (the original API's chat id)") String id,
        @Schema(description = "Chat id (UUID), as used in /api/v1/chats/{chat_id}") @JsonbProperty("chat_id") String chatId,
        String audience,
        String scope,
        @Schema(description = "The tags given at creation: an object, or null", nullable = true) JsonObject tags,
        @JsonbProperty("real_time") RealTime realTime,
        @Schema(example = "2020-10-17T07:27:48.019Z") @JsonbProperty("created_at") String createdAt) {

    @Schema(name = "RealTime")
    public record RealTime(@Schema(description = "The event room (a room of /room) where the chat's messages live")
                           @JsonbProperty("event_room_id") String eventRoomId) {
    }
}
