package org.chatapi.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Pages;
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.Rooms;

/** A room's live stream (Server-Sent Events); the delivery itself is {@link RoomFanOut}'s. */
@ApplicationScoped
@Path("room/{id}/events")
public class RoomStreamResource {

    @Inject
    Rooms rooms;

    @Inject
    Callers callers;

    @Inject
    RoomFanOut fanOut;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void follow(@PathParam("id") String id,
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        UUID roomId = Ids.parse(id, "id");
        int resumeAfter = Pages.position(lastEventId, "Last-Event-ID", Integer.MAX_VALUE);
        int messageCount = rooms.messageCount(callers.current(), roomId);
        fanOut.subscribe(roomId, sink, sse, Math.min(resumeAfter, messageCount), callers.authorityExpiry());
    }

    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Response probe(@PathParam("id") String id) {
        rooms.messageCount(callers.current(), Ids.parse(id, "id"));
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
