package org.chatapi.platform.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Every API route needs a caller. A token that is present but invalid never gets here: the MP-JWT mechanism refuses
 * it first (see {@code platform.problems.ErrorPages}); this filter answers requests that carry no token at all.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getSecurityContext().getUserPrincipal() == null) {
            throw new Unauthenticated("This route needs a valid bearer token.");
        }
    }
}
