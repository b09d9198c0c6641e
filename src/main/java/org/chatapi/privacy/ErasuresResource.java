package org.chatapi.privacy;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.CREATES;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.chatapi.platform.Ids;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;

/** Erasure of a person ({@code admin}): ask for it, then follow it to its receipt. */
@ApplicationScoped
@Path("admin/erasures")
@Produces(APPLICATION_JSON)
public class ErasuresResource {

    /** Longest subject a token may carry (as the tables store it). */
    static final int MAX_SUBJECT = 255;

    @EJB
    Erasures erasures;

    @Inject
    Callers callers;

    /** {@code {"user": "<sub>"}}: 202 with the erasure, which runs in the background. */
    @Idempotent
    @RateLimited(CREATES)
    @POST
    @Consumes(APPLICATION_JSON)
    public Response request(byte[] body) {
        String subject = RequestBodies.requiredText(RequestBodies.object(body), "user", MAX_SUBJECT);
        ErasureView erasure = erasures.request(callers.current(), subject);
        return Response.accepted(erasure).location(URI.create("/admin/erasures/" + erasure.id())).build();
    }

    @GET
    @Path("{id}")
    public ErasureView receipt(@PathParam("id") String id) {
        return erasures.receipt(callers.current(), Ids.parse(id, "id"));
    }
}
