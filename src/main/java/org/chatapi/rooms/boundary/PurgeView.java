package org.chatapi.rooms.boundary;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The data of a {@code purge} event, on a room's stream and on the inbox stream: retention removed the room's messages
 * at positions 1 to {@code purgedThrough}; its history starts after them.
 */
@JsonbPropertyOrder({"room", "purgedThrough"})
public record PurgeView(String room, int purgedThrough) {
}
