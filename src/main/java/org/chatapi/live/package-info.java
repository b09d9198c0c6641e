/**
 * How live delivery works: the stream machinery every kind of event stream shares ({@code Streams}: quota per caller,
 * heartbeat, expiry, stopping, coalesced catch-ups; {@code Stream}: one client's stream; {@code EventSenders}: each
 * stream written from its own queue), the room stream resource (Server-Sent Events) and the fan-out of a room's
 * committed posts, edits and deletions to this instance's subscribers of the room, the listener on PostgreSQL's
 * {@code chat_message} and {@code chat_inbox} channels that tells every instance of every commit, and the stream
 * tickets with which a browser's EventSource opens a room's stream or the inbox stream. May use {@code platform.*}
 * and {@code rooms.boundary}; the inbox uses it, and hears the listener through CDI events, so it knows no inbox type.
 */
package org.chatapi.live;
