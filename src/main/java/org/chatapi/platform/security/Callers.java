package org.chatapi.platform.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.chatapi.platform.CurrentRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from its verified token: with MP-JWT the request's user principal is the
 * {@link JsonWebToken} itself (read from the request rather than through the container's token bean, which costs a
 * bean lookup per request). Asked for when a resource method runs, after {@link BearerAuthentication} has answered
 * requests without a token.
 */
@ApplicationScoped
public class Callers {

    public Caller current() {
        JsonWebToken token = token();
        return new Caller(token.getSubject(), token.getGroups());
    }

    /** When the current caller's authority ends: the expiry of its token. */
    public Instant authorityExpiry() {
        return Instant.ofEpochSecond(token().getExpirationTime());
    }

    private JsonWebToken token() {
        if (!(CurrentRequest.get().getUserPrincipal() instanceof JsonWebToken token)
                || token.getSubject() == null || token.getSubject().isBlank()) {
            throw new Unauthenticated("This route needs a bearer token with a subject.");
        }
        return token;
    }
}
