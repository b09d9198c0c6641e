package org.chatapi.rooms.boundary;

import java.util.List;

/** The envelopes the original API wraps rooms and messages in. */
public final class RoomResponses {

    private RoomResponses() {
    }

    public record RoomList(String message, List<RoomView> rooms) {
        static RoomList of(List<RoomView> rooms) {
            return new RoomList("Successfully get rooms", rooms);
        }
    }

    public record NewRoom(String message, RoomView newRoom) {
        static NewRoom of(RoomView room) {
            return new NewRoom("new Room Created", room);
        }
    }

    public record OneRoom(ReadableRoom room) {
    }

    public record ChatList(List<MessageView> chats) {
        static ChatList of(MessagePage page) {
            return new ChatList(page.messages().stream().map(PositionedMessage::message).toList());
        }
    }

    public record OneChat(MessageView chat) {
    }
}
