package org.chatapi.live;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.UUID;
import org.chatapi.platform.CurrentRequest;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Caller;
import org.chatapi.platform.security.Callers;
import org.chatapi.platform.security.StreamTicketAccepted;
import org.chatapi.rooms.boundary.RoomEventId;
import org.chatapi.rooms.boundary.Rooms;

/** A room's live stream (Server-Sent Events); the delivery itself is {@link RoomFanOut}'s. */
@ApplicationScoped
@Path("room/{id}/events")
public class RoomStreamResource {

    @EJB
    Rooms rooms;

    @Inject
    Callers callers;

    @Inject
    RoomFanOut fanOut;

    @EJB
    StreamTickets tickets;

    /**
     * Follows the room as the bearer of a token, or as the holder of a ticket ({@link #ticket}). The event to
     * resume after comes from {@code Last-Event-ID} (a reconnecting EventSource sends it) or, for a new stream that
     * continues an earlier one, from {@code last_event_id}.
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamTicketAccepted
    public void follow(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("last_event_id") String lastEventIdParameter,
                       @QueryParam(StreamTicketAccepted.PARAMETER) String ticket,
                       @Context SseEventSink sink, @Context Sse sse) {
        UUID roomId = Ids.parse(id, "id");
        String resumeFrom = lastEventId != null ? lastEventId : lastEventIdParameter;
        RoomEventId resumeAfter = resumeFrom == null ? null
                : RoomEventId.parse(resumeFrom, lastEventId != null ? "Last-Event-ID" : "last_event_id");
        Caller caller;
        Instant authorityExpiry;
        if (CurrentRequest.get().getUserPrincipal() == null && ticket != null) {
            StreamTickets.Holder holder = tickets.redeem(ticket, roomId);
            caller = holder.caller();
            authorityExpiry = holder.expiresAt();
        } else {
            caller = callers.current();
            authorityExpiry = callers.authorityExpiry();
        }
        // A new stream starts after the room's latest event; an id from the future resumes there too.
        RoomEventId latest = rooms.latestEvent(caller, roomId);
        fanOut.subscribe(caller.subject(), roomId, sink, sse, resumeAfter == null ? latest : resumeAfter.atMost(latest),
                authorityExpiry);
    }

    /**
     * A ticket for this room's stream, for a client that cannot send an Authorization header (a browser's
     * EventSource): {@code GET /room/{id}/events?ticket=...} opens the stream as this caller until the ticket expires
     * ({@code CHAT_STREAM_TICKET_SECONDS}, never after the token's own expiry); the ticket opens no other room and no
     * other route.
     */
    @RateLimited(RateLimited.Kind.CREATES)
    @POST
    @Path("tickets")
    @Produces(MediaType.APPLICATION_JSON)
    public StreamTicketView ticket(@PathParam("id") String id) {
        UUID roomId = Ids.parse(id, "id");
        StreamTickets.Ticket ticket = tickets.issue(callers.current(), roomId, callers.authorityExpiry());
        return new StreamTicketView(ticket.value(), Timestamps.format(ticket.expiresAt()),
                "/room/" + roomId + "/events?" + StreamTicketAccepted.PARAMETER + "=" + ticket.value());
    }

    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Response probe(@PathParam("id") String id) {
        rooms.latestEvent(callers.current(), Ids.parse(id, "id"));
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
