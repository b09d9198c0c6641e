package org.chatapi.platform;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from its verified token. Asked for when a resource method runs (not when the
 * resource is built), so a request without a token reaches {@link BearerAuthentication} and gets a clean 401.
 */
@RequestScoped
public class Callers {

    @Inject
    JsonWebToken token;

    public Caller current() {
        if (token == null || token.getSubject() == null || token.getSubject().isBlank()) {
            throw new Unauthenticated("This route needs a bearer token with a subject.");
        }
        return new Caller(token.getSubject(), token.getGroups());
    }
}
