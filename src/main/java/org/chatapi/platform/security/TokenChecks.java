package org.chatapi.platform.security;

import jakarta.json.JsonNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.chatapi.platform.RequestBodies;

/**
 * What the service demands of a verified token beyond its signature, issuer, audience and expiry (which MP-JWT
 * checks): that it is already valid ({@code nbf}, with some clock skew), and that the identity it carries can be
 * stored and compared exactly. A subject the database would refuse or alter (too long, NUL, an unpaired surrogate)
 * is refused before anything is written, so that no caller can end up owning what another's id maps to.
 */
public final class TokenChecks {

    /** The longest subject a room, message or idempotency key can record (the columns' limit). */
    public static final int MAX_SUBJECT_LENGTH = 255;
    static final int MAX_GROUP_LENGTH = 255;

    private TokenChecks() {
    }

    /** Refuses the token with 401 unless its identity is storable and it is valid at {@code now}. */
    public static void check(String subject, Set<String> groups, Object notBefore, Instant now, Duration clockSkew) {
        String problem = RequestBodies.problemWith(subject, MAX_SUBJECT_LENGTH);
        if (problem != null) {
            throw new Unauthenticated("The token's subject cannot be stored exactly: it " + problem);
        }
        for (String group : groups == null ? Set.<String>of() : groups) {
            if (RequestBodies.problemWith(group, MAX_GROUP_LENGTH) != null) {
                throw new Unauthenticated("The token has a group that cannot be compared exactly.");
            }
        }
        Instant validFrom = instant(notBefore);
        if (validFrom != null && validFrom.isAfter(now.plus(clockSkew))) {
            throw new Unauthenticated("The token is not valid yet (nbf).");
        }
    }

    /** A NumericDate claim (seconds since the epoch) in the shapes token libraries give it, or null if absent. */
    static Instant instant(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof JsonNumber number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        if (claim instanceof Number number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(claim.toString().trim()));
        } catch (NumberFormatException e) {
            throw new Unauthenticated("The token's nbf is not a NumericDate.");
        }
    }
}
