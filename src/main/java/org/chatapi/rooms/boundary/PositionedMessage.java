package org.chatapi.rooms.boundary;

/** A message with its room-local position (1, 2, 3, ...): the history cursor and the SSE event id. */
public record PositionedMessage(int position, MessageView message) {
}
