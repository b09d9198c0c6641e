package org.chatapi.rooms.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.security.Caller;

/**
 * Who may use a room: its owner, pro and admin, and the members of the audience another feature opened it to
 * ({@link RoomAudiences}). The audience is looked up only for callers that belong to some audience.
 */
@ApplicationScoped
public class RoomAccess {

    @Inject
    Instance<RoomAudiences> audiences;

    /** Refuses the caller unless it may read and post into the room. */
    public void check(Caller caller, UUID roomId, String owner) {
        check(caller, roomId, owner, () -> audienceOf(roomId));
    }

    /** As {@link #check(Caller, UUID, String)}, with the room's audience looked up by {@code audience} if needed. */
    public void check(Caller caller, UUID roomId, String owner, Supplier<Optional<String>> audience) {
        if (!caller.mayUseRoomOf(owner) && !(caller.hasAudiences() && audience.get().filter(caller::actsFor).isPresent())) {
            throw new AccessDenied("Room " + roomId + " is not open to this caller.");
        }
    }

    /**
     * A query of the {@code room_id} and {@code audience} of every room some feature opened to an audience (no rows
     * when none does).
     */
    public String audienceRoomsSql() {
        List<String> queries = audiences.stream().map(RoomAudiences::roomsSql).toList();
        return queries.isEmpty() ? "SELECT NULL::uuid AS room_id, NULL::text AS audience WHERE false"
                : String.join(" UNION ALL ", queries);
    }

    /** The audience whose members may use the room, if any feature opened it to one. */
    public Optional<String> audienceOf(UUID roomId) {
        for (RoomAudiences opener : audiences) {
            Optional<String> audience = opener.audienceOf(roomId);
            if (audience.isPresent()) {
                return audience;
            }
        }
        return Optional.empty();
    }
}
