package org.chatapi.rooms.boundary;

/**
 * An event of a room's own sequence: a post ({@code kind} "message"), or an edit or deletion ("edit", "delete") of
 * the message at {@code position}, with the message as it is now, so that a late reader never sees a text that was
 * since replaced or deleted; or a purge ("purge"): retention removed the room's messages up to {@code position}, and
 * there is no message.
 */
public record RoomEvent(RoomEventId id, String kind, int position, MessageView message) {

    /** The kind of a purge by retention. */
    public static final String PURGE = "purge";

    /** Whether this is a post rather than a change of an earlier message or a purge. */
    public boolean isPost() {
        return "message".equals(kind);
    }
}
