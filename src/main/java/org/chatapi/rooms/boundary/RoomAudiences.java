package org.chatapi.rooms.boundary;

import java.util.Optional;
import java.util.UUID;

/**
 * Lets another feature open a room to the members of an audience besides its owner: scoped chats do so for their
 * event rooms. Rooms asks every implementation present; the rooms feature itself knows of none.
 */
public interface RoomAudiences {

    /** The audience whose members may use the room, if any. */
    Optional<String> audienceOf(UUID roomId);

    /**
     * The same as SQL, for listings that must not look up each room: a query whose rows are the {@code room_id} and
     * {@code audience} of every room this feature opened to an audience.
     */
    String roomsSql();
}
