package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

public class RoomNotFound extends ApiException {

    public RoomNotFound(UUID id) {
        super(Status.NOT_FOUND, "room-not-found", "Room not found", "There is no room " + id + ".");
    }
}
