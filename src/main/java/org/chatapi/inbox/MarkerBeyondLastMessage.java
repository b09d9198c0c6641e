package org.chatapi.inbox;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** A read marker cannot pass the room's last message: 409, as the room may reach that position later. */
public class MarkerBeyondLastMessage extends ApiException {

    public MarkerBeyondLastMessage(UUID roomId, int position, int messageCount) {
        super(Status.CONFLICT, "marker-beyond-last-message", "Marker beyond the last message",
                "Room " + roomId + " has " + messageCount + " messages; it cannot be marked read up to position "
                        + position + ".");
    }
}
