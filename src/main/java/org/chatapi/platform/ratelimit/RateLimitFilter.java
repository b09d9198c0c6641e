package org.chatapi.platform.ratelimit;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.TooManyRequests;
import org.chatapi.platform.ratelimit.RateLimits.Decision;
import org.chatapi.platform.security.Callers;

/**
 * Counts each request to a {@link RateLimited} method against its caller, once authenticated and before the body is
 * read: over the limit it is refused (429 with {@code Retry-After}); every answer of such a method carries the IETF
 * draft's {@code RateLimit-Policy} ({@code "posts";q=600;w=60}) and {@code RateLimit} ({@code "posts";r=12;t=40}).
 */
@Provider
@Priority(Priorities.USER)
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String DECISION = RateLimitFilter.class.getName() + ".decision";

    @Context
    ResourceInfo resource;

    @Inject
    RateLimits limits;

    @Inject
    Callers callers;

    @Inject
    Metrics metrics;

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimited limited = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RateLimited.class);
        if (limited == null) {
            return;
        }
        Decision decision = limits.count(callers.current().subject(), limited.value());
        request.setProperty(DECISION, decision);
        if (!decision.allowed()) {
            metrics.limited(decision.kind().policy());
            throw new TooManyRequests("This caller may make " + decision.limit() + " requests of the kind \""
                    + decision.kind().policy() + "\" per minute; retry after " + decision.resetSeconds() + " s.",
                    decision.resetSeconds());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof Decision decision) {
            String policy = '"' + decision.kind().policy() + '"';
            response.getHeaders().putSingle("RateLimit-Policy",
                    policy + ";q=" + decision.limit() + ";w=" + RateLimits.WINDOW.toSeconds());
            response.getHeaders().putSingle("RateLimit",
                    policy + ";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
        }
    }
}
