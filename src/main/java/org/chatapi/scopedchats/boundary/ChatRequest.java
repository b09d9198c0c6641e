package org.chatapi.scopedchats.boundary;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.RequestBodies;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A validated create or convert request; {@code eventRoomId} is null for create. */
@Schema(name = "ChatRequest")
public record ChatRequest(
        @Schema(required = true, maxLength = ChatRequest.MAX_SCOPE) String scope,
        @Schema(required = true, maxLength = ChatRequest.MAX_AUDIENCE) String audience,
        @Schema(description = "Arbitrary tags: a JSON object", nullable = true) JsonObject tags,
        @Schema(description = "Convert only: the existing room to bind (UUID)") UUID eventRoomId) {

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
