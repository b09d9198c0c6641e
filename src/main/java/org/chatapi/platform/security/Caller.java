package org.chatapi.platform.security;

import java.util.List;
import java.util.Set;

/**
 * Who is calling: the token's subject and its groups. Groups grant roles: {@code admin} may do everything,
 * {@code pro} may read and post into any room, {@code audience:<aud>} acts for the tenant audience {@code <aud>}.
 */
public record Caller(String subject, Set<String> groups) {

    static final String ADMIN = "admin";
    static final String PRO = "pro";
    static final String AUDIENCE_PREFIX = "audience:";

    public Caller {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a caller needs a subject");
        }
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public boolean isAdmin() {
        return groups.contains(ADMIN);
    }

    /** May list every room, and read and post into any room. */
    public boolean seesAllRooms() {
        return isAdmin() || groups.contains(PRO);
    }

    /** May use (read, post into, bind) a room that has this owner. */
    public boolean mayUseRoomOf(String owner) {
        return subject.equals(owner) || seesAllRooms();
    }

    /** Acts for the audience: creates, converts and reads its chats, uses its event rooms. */
    public boolean actsFor(String audience) {
        return isAdmin() || groups.contains(AUDIENCE_PREFIX + audience);
    }

    /** The audiences the caller is a member of by its groups (an admin acts for every audience besides). */
    public List<String> audiences() {
        return groups.stream().filter(group -> group.startsWith(AUDIENCE_PREFIX))
                .map(group -> group.substring(AUDIENCE_PREFIX.length())).sorted().toList();
    }

    /** Belongs to at least one audience, so an event room may be open to it. */
    public boolean hasAudiences() {
        return isAdmin() || groups.stream().anyMatch(group -> group.startsWith(AUDIENCE_PREFIX));
    }
}
