package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.Map;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** The message exists but was posted into another room; the original API answered 400 "wrong room and chat". */
public class WrongRoomAndChat extends ApiException {

    static final String LEGACY_MESSAGE = "wrong room and chat";

    public WrongRoomAndChat(UUID roomId, UUID messageId) {
        super(Status.BAD_REQUEST, "wrong-room-and-chat", "Wrong room and chat",
                "Chat " + messageId + " was not posted into room " + roomId + ".");
    }

    @Override
    public Map<String, String> extensions() {
        return Map.of("message", LEGACY_MESSAGE);
    }
}
