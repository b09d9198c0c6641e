package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** The message was deleted: its tombstone cannot be edited. */
public class MessageDeleted extends ApiException {

    public MessageDeleted(UUID id) {
        super(Status.CONFLICT, "message-deleted", "Message deleted",
                "Message " + id + " was deleted; a deleted message cannot be edited.");
    }
}
