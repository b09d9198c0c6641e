package org.chatapi.platform.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every API route needs a caller. A token that is present but invalid never gets here: the MP-JWT mechanism refuses
 * it first (see {@code platform.problems.ErrorPages}); this filter answers requests that carry no token at all, and
 * applies {@link TokenChecks} to the others.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    /** Clock skew allowed for {@code nbf} ({@code CHAT_TOKEN_CLOCK_SKEW_SECONDS}). */
    private final Duration clockSkew = Duration.ofSeconds(ConfigProvider.getConfig()
            .getOptionalValue("chat.token.clock-skew-seconds", Long.class).orElse(60L));

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Principal principal = request.getSecurityContext().getUserPrincipal();
        if (principal == null && ticketAccepted(request)) {
            return;
        }
        if (principal == null) {
            throw new Unauthenticated("This route needs a valid bearer token.");
        }
        if (principal instanceof JsonWebToken token) {
            TokenChecks.check(token.getSubject(), token.getGroups(), token.getClaim(Claims.nbf.name()), Instant.now(),
                    clockSkew);
        }
    }

    /** A request without a token, carrying a ticket, to a method that checks the ticket itself. */
    private boolean ticketAccepted(ContainerRequestContext request) {
        return request.getHeaderString("Authorization") == null
                && request.getUriInfo().getQueryParameters().containsKey(StreamTicketAccepted.PARAMETER)
                && resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(StreamTicketAccepted.class);
    }
}
