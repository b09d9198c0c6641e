/**
 * Scoped chats ({@code /api/v1}): a tenant's chat for an (audience, scope) pair and its event room, which is a room
 * of {@code rooms}. May use {@code platform.*} and {@code rooms.boundary} (to create and look up event rooms); it
 * opens event rooms to their audience through {@link org.chatapi.rooms.boundary.RoomAudiences}.
 */
package org.chatapi.scopedchats.boundary;
