package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** No message has this id (a scoped chat that does not exist is a different problem: chat-not-found). */
public class MessageNotFound extends ApiException {

    public MessageNotFound(UUID id) {
        super(Status.NOT_FOUND, "message-not-found", "Message not found", "There is no message " + id + ".");
    }
}
