package org.chatapi.rooms.boundary;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The envelopes the original API wraps rooms and messages in. */
public final class RoomResponses {

    private RoomResponses() {
    }

    @Schema(name = "RoomList")
    public record RoomList(@Schema(example = "Successfully get rooms") String message, List<RoomView> rooms) {
        static RoomList of(List<RoomView> rooms) {
            return new RoomList("Successfully get rooms", rooms);
        }
    }

    @Schema(name = "NewRoom")
    public record NewRoom(@Schema(example = "new Room Created") String message, RoomView newRoom) {
        static NewRoom of(RoomView room) {
            return new NewRoom("new Room Created", room);
        }
    }

    @Schema(name = "OneRoom")
    public record OneRoom(RoomView room) {
    }

    @Schema(name = "ChatList")
    public record ChatList(@Schema(description = "Messages in post order") List<MessageView> chats) {
        static ChatList of(MessagePage page) {
            return new ChatList(page.messages().stream().map(PositionedMessage::message).toList());
        }
    }

    @Schema(name = "OneChat")
    public record OneChat(MessageView chat) {
    }
}
