package org.chatapi.inbox;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.chatapi.rooms.boundary.MessageView;

/** The data of the inbox stream's events, each naming its room. */
public final class InboxEventViews {

    private InboxEventViews() {
    }

    /**
     * {@code event: message}, {@code edit}, {@code delete}: the message at this position of the room was posted,
     * edited or deleted; the message as it is now.
     */
    @JsonbPropertyOrder({"room", "position", "chat"})
    public record NewMessage(String room, int position, MessageView chat) {
    }

    /** {@code event: marker}: the user read the room up to this position. */
    @JsonbPropertyOrder({"room", "user", "position"})
    public record MarkerMoved(String room, String user, int position) {
    }

    /** {@code event: room}: the room became readable (created, or opened to an audience); its owner and count. */
    @JsonbPropertyOrder({"room", "user", "version"})
    public record RoomOpened(String room, String user, @JsonbProperty("__v") int version) {
    }
}
