package org.chatapi.scopedchats.boundary;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.RequestBodies;

/** A validated create or convert request; {@code eventRoomId} is null for create. */
public record ChatRequest(String scope, String audience, JsonObject tags, UUID eventRoomId) {

    static final int MAX_AUDIENCE = 100;
    static final int MAX_SCOPE = 500;

    static ChatRequest create(JsonObject body, int maxTagsBytes) {
        return new ChatRequest(scope(body), audience(body), RequestBodies.optionalObject(body, "tags", maxTagsBytes), null);
    }

    static ChatRequest convert(JsonObject body, int maxTagsBytes) {
        JsonValue room = body.get("event_room_id");
        if (room == null || room.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidRequest("\"event_room_id\" is required.");
        }
        if (room.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidRequest("\"event_room_id\" must be a string holding a UUID.");
        }
        return new ChatRequest(scope(body), audience(body), RequestBodies.optionalObject(body, "tags", maxTagsBytes),
                Ids.parse(body.getString("event_room_id"), "event_room_id"));
    }

    private static String scope(JsonObject body) {
        return RequestBodies.requiredText(body, "scope", MAX_SCOPE);
    }

    private static String audience(JsonObject body) {
        return RequestBodies.requiredText(body, "audience", MAX_AUDIENCE);
    }
}
