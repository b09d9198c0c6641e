package org.chatapi.rooms.boundary;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Inject;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.chatapi.platform.Metrics;

/** Counts the posts refused with a 4xx, by status (the committed ones are counted where they commit). */
@Provider
@PostOutcomes.Counted
public class PostOutcomes implements ContainerResponseFilter {

    /** Marks the routes that post a message. */
    @NameBinding
    @Retention(RUNTIME)
    @Target({METHOD, TYPE})
    public @interface Counted {
    }

    @Inject
    Metrics metrics;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && response.getStatus() < 500) {
            metrics.refused(response.getStatus());
        }
    }
}
