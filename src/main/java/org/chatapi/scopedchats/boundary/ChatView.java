package org.chatapi.scopedchats.boundary;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A scoped chat as every chat route answers it. {@code id} is the scope, as the original API specifies. */
@JsonbNillable
@JsonbPropertyOrder({"id", "chatId", "audience", "scope", "tags", "realTime", "createdAt"})
public record ChatView(
        String id,
        @JsonbProperty("chat_id") String chatId,
        String audience,
        String scope,
        JsonObject tags,
        @JsonbProperty("real_time") RealTime realTime,
        @JsonbProperty("created_at") String createdAt) {

    public record RealTime(@JsonbProperty("event_room_id") String eventRoomId) {
    }
}
