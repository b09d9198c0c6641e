package org.chatapi.inbox;

import java.util.List;
import org.chatapi.rooms.boundary.ReadableRoom;

/** The envelopes the inbox wraps its pages of rooms and its markers in. */
public final class InboxResponses {

    private InboxResponses() {
    }

    public record InboxPage(List<ReadableRoom> rooms) {
    }

    public record OneMarker(MarkerView marker) {
    }
}
