package org.chatapi.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Timestamps;
import org.chatapi.rooms.boundary.MessageView;
import org.chatapi.rooms.boundary.PurgeView;

/**
 * The body of a webhook (Standard Webhooks' shape): {@code {"type", "timestamp", "data"}}, the data naming its room.
 * A message event carries the message as it is when sent (a tombstone once deleted; null once removed by retention),
 * so that no text outlives its message in a delivery row.
 */
@ApplicationScoped
public class Payloads {

    @Inject
    JsonWriter json;

    /** The webhook's body. */
    @JsonbPropertyOrder({"type", "timestamp", "data"})
    public record Payload(String type, String timestamp, Object data) {
    }

    /** {@code message.posted}, {@code message.edited}, {@code message.deleted}: the message at this position. */
    @JsonbPropertyOrder({"room", "position", "chat"})
    public record MessageEvent(String room, int position, MessageView chat) {
    }

    /** {@code marker.moved}: the user read the room up to this position. */
    @JsonbPropertyOrder({"room", "user", "position"})
    public record MarkerEvent(String room, String user, int position) {
    }

    /** {@code room.created}: the room became readable (created, or opened to an audience); its owner and count. */
    @JsonbPropertyOrder({"room", "user", "version"})
    public record RoomEvent(String room, String user, @JsonbProperty("__v") int version) {
    }

    String of(Deliveries.Head head) {
        String room = head.roomId().toString();
        Object data = switch (head.eventType()) {
            case "marker.moved" -> new MarkerEvent(room, head.readerSub(), head.position());
            case "room.created" -> new RoomEvent(room, head.ownerSub(), head.position());
            case "room.purged" -> new PurgeView(room, head.position());
            default -> new MessageEvent(room, head.position(), head.message());
        };
        return json.toJson(new Payload(head.eventType(), Timestamps.format(head.occurredAt()), data));
    }
}
