/**
 * The inbox: every room a caller may read, as it reads it ({@code InboxResource}, {@code Inbox}, paged by
 * {@code InboxCursor}), the caller's read markers ({@code MarkersResource}, {@code ReadMarkers}), and the inbox stream
 * of what happens in those rooms ({@code InboxStreamResource}, {@code InboxFanOut}), read from the inbox event log
 * ({@code InboxEvents}) that the database's triggers write. Most of its data access is native SQL through the
 * {@code EntityManager}. May use {@code platform.*}, {@code rooms.boundary} (room access, how rooms are read, the
 * message shape) and {@code live} (the stream machinery and tickets); nothing uses it.
 */
package org.chatapi.inbox;
