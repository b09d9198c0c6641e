package org.chatapi.platform.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from its verified token: with MP-JWT the request's user principal is the
 * {@link JsonWebToken} itself (read from the request rather than through the container's token bean, which costs a
 * bean lookup per request). Asked for when a resource method runs, after {@link BearerAuthentication} has answered
 * requests without a token.
 */
@ApplicationScoped
public class Callers {

    @Inject
    HttpServletRequest request;

    public Caller current() {
        JsonWebToken token = token();
        return new Caller(token.getSubject(), token.getGroups());
    }

    private JsonWebToken token() {
        if (!(request.getUserPrincipal() instanceof JsonWebToken token)
                || token.getSubject() == null || token.getSubject().isBlank()) {
            throw new Unauthenticated("This route needs a bearer token with a subject.");
        }
        return token;
    }
}
