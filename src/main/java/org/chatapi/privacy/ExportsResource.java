package org.chatapi.privacy;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.CREATES;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;
import org.chatapi.platform.security.StreamTicketAccepted;

/**
 * Exports of a person's data: a person asks for their own (no body), an admin for anyone's
 * ({@code {"user": "<sub>"}}); the job's progress; the file, with the key the request's answer gave.
 */
@ApplicationScoped
@Path("exports")
@Produces(APPLICATION_JSON)
public class ExportsResource {

    /** The media type of the file: JSON lines. */
    static final String JSON_LINES = "application/jsonl";

    @EJB
    Exports exports;

    @Inject
    Callers callers;

    /** 202 with the export, which is written in the background, and the download URL (shown this once). */
    @Idempotent
    @RateLimited(CREATES)
    @POST
    public Response request(@HeaderParam("Content-Type") String type, byte[] body) {
        boolean empty = body == null || body.length == 0;
        if (!empty && !isJson(type)) {
            throw new NotSupportedException("The body, if any, is JSON: {\"user\": \"<sub>\"}.");
        }
        String subject = empty ? null
                : RequestBodies.optionalText(RequestBodies.object(body), "user", ErasuresResource.MAX_SUBJECT);
        ExportView export = exports.request(callers.current(), subject);
        return Response.accepted(export).location(URI.create("/exports/" + export.id())).build();
    }

    @GET
    @Path("{id}")
    public ExportView status(@PathParam("id") String id) {
        return exports.status(callers.current(), Ids.parse(id, "id"));
    }

    /**
     * The file, streamed a chunk at a time, for whoever holds the key ({@code ticket}): a browser can follow the
     * link without a token.
     */
    @GET
    @Path("{id}/file")
    @Produces(JSON_LINES)
    @StreamTicketAccepted
    public Response file(@PathParam("id") String id, @QueryParam(StreamTicketAccepted.PARAMETER) String key) {
        UUID exportId = Ids.parse(id, "id");
        int chunks = exports.chunks(exportId, key == null ? "" : key);
        StreamingOutput file = (OutputStream out) -> {
            for (int seq = 1; seq <= chunks; seq++) {
                out.write(exports.chunk(exportId, seq).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
        return Response.ok(file, JSON_LINES + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"chat-api-export-" + exportId + ".jsonl\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    private static boolean isJson(String type) {
        try {
            return type != null && MediaType.valueOf(type).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
