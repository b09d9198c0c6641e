package org.chatapi.rooms.boundary;

import org.chatapi.platform.InvalidRequest;

/**
 * A place in a room's own sequence of events, its SSE id on the room stream: a post is its position ({@code "7"});
 * an edit or deletion is the position of the post it follows and the room's number of changes with it
 * ({@code "7.3"}: the room's third change, made after post 7). Ids compare as (position, change), which is the order
 * the events committed in, because both numbers are taken with the room's lock held.
 */
public record RoomEventId(int position, int change) implements Comparable<RoomEventId> {

    /** Before every event of a room. */
    public static final RoomEventId START = new RoomEventId(0, 0);

    public RoomEventId {
        if (position < 0 || change < 0) {
            throw new IllegalArgumentException("a room event id has no negative part: " + position + "." + change);
        }
    }

    /**
     * Parses {@code "<position>"} or {@code "<position>.<change>"}; a malformed one is a 400 naming the parameter
     * ({@code name}).
     */
    public static RoomEventId parse(String value, String name) {
        String id = value.trim();
        int dot = id.indexOf('.');
        try {
            int position = Integer.parseInt(dot < 0 ? id : id.substring(0, dot));
            int change = dot < 0 ? 0 : Integer.parseInt(id.substring(dot + 1));
            if (position >= 0 && change >= 0) {
                return new RoomEventId(position, change);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest("\"" + name + "\" must be a room event id: <position> or <position>.<change>, "
                + "each from 0 to 2147483647.");
    }

    /** The earlier of the two: a resume point is never after the room's latest event. */
    public RoomEventId atMost(RoomEventId latest) {
        return compareTo(latest) <= 0 ? this : latest;
    }

    @Override
    public int compareTo(RoomEventId other) {
        int byPosition = Integer.compare(position, other.position);
        return byPosition != 0 ? byPosition : Integer.compare(change, other.change);
    }

    @Override
    public String toString() {
        return change == 0 ? Integer.toString(position) : position + "." + change;
    }
}
