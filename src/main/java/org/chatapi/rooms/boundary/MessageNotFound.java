package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

public class MessageNotFound extends ApiException {

    public MessageNotFound(UUID id) {
        super(Status.NOT_FOUND, "chat-not-found", "Chat not found", "There is no chat " + id + ".");
    }
}
