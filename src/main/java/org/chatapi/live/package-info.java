/**
 * How live delivery works: the room stream resource (Server-Sent Events), the fan-out of committed messages to this
 * instance's subscribers, and the listener on PostgreSQL's {@code chat_message} channel that tells every instance
 * of every commit, and the stream tickets with which a browser's EventSource opens a room's stream. May use
 * {@code platform.*} and {@code rooms.boundary}; nothing uses it.
 */
package org.chatapi.live;
