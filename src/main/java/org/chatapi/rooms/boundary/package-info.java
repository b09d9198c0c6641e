/**
 * Rooms and their messages: the room routes ({@code RoomsResource}), the message routes ({@code MessagesResource}:
 * post, read, edit, delete), the transactions that store and read them ({@code Rooms}, {@code Messages}), the
 * statements that read rooms and messages ({@code RoomRows}, {@code MessageRows}), a room's sequence of events
 * ({@code RoomEvent}, {@code RoomEventId}), group commit, who may use a room ({@code RoomAccess}), and the JSON
 * shapes of the original rooms API. May use {@code platform.*} and {@code rooms.entity}; other features reach rooms
 * only through this package.
 */
package org.chatapi.rooms.boundary;
