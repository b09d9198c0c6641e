package org.chatapi.scopedchats.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** The refusals of the scoped chats routes. */
final class ChatProblems {

    private ChatProblems() {
    }

    static class ChatNotFound extends ApiException {
        ChatNotFound(String detail) {
            super(Status.NOT_FOUND, "chat-not-found", "Chat not found", detail);
        }
    }

    static class ChatAlreadyExists extends ApiException {
        ChatAlreadyExists(String audience, String scope) {
            super(Status.CONFLICT, "chat-already-exists", "Chat already exists",
                    "Audience \"" + audience + "\" already has a chat for scope \"" + scope + "\".");
        }
    }

    static class EventRoomAlreadyBound extends ApiException {
        EventRoomAlreadyBound(UUID roomId) {
            super(Status.CONFLICT, "event-room-already-bound", "Event room already bound",
                    "Room " + roomId + " already backs another chat.");
        }
    }

    static class EventRoomMissing extends ApiException {
        EventRoomMissing(UUID roomId) {
            super(UNPROCESSABLE_CONTENT, "event-room-missing", "Event room does not exist",
                    "There is no room " + roomId + " to bind the chat to.");
        }
    }
}
