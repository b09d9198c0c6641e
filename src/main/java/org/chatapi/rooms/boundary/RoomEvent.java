package org.chatapi.rooms.boundary;

/**
 * An event of a room's own sequence: a post ({@code kind} "message"), or an edit or deletion ("edit", "delete") of
 * the message at {@code position}; with the message as it is now, so that a late reader never sees a text that was
 * since replaced or deleted.
 */
public record RoomEvent(RoomEventId id, String kind, int position, MessageView message) {

    /** Whether this is a post rather than a change of an earlier message. */
    public boolean isPost() {
        return "message".equals(kind);
    }
}
