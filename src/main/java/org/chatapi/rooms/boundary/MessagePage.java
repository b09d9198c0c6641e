package org.chatapi.rooms.boundary;

import java.util.List;

/**
 * A page of a room's messages in post order, with the room's message count and the last position retention removed
 * (its history starts after it), read in the same snapshot.
 */
public record MessagePage(List<PositionedMessage> messages, int messageCount, int purgedThrough) {

    /** Whether messages exist after this page (when it is empty: after {@code after}). */
    public boolean hasNext(int after) {
        int last = messages.isEmpty() ? after : messages.get(messages.size() - 1).position();
        return last < messageCount;
    }

    public boolean hasPrevious() {
        return !messages.isEmpty() && messages.get(0).position() > purgedThrough + 1;
    }
}
