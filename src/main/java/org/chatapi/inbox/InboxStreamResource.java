package org.chatapi.inbox;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import org.chatapi.inbox.InboxEvents.EventId;
import org.chatapi.live.StreamTicketView;
import org.chatapi.live.StreamTickets;
import org.chatapi.platform.CurrentRequest;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Caller;
import org.chatapi.platform.security.Callers;
import org.chatapi.platform.security.StreamTicketAccepted;

/** The caller's inbox stream (Server-Sent Events) of every room it may read; the delivery is {@link InboxFanOut}'s. */
@ApplicationScoped
@Path("inbox/events")
public class InboxStreamResource {

    @Inject
    Callers callers;

    @Inject
    InboxFanOut fanOut;

    @EJB
    InboxEvents events;

    @EJB
    StreamTickets tickets;

    /**
     * Follows the inbox as the bearer of a token or the holder of an inbox ticket. It resumes after the event named
     * by {@code Last-Event-ID} (a reconnecting EventSource sends it) or {@code last_event_id}; without either it
     * starts now.
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamTicketAccepted
    public void follow(@HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("last_event_id") String lastEventIdParameter,
                       @QueryParam(StreamTicketAccepted.PARAMETER) String ticket,
                       @Context SseEventSink sink, @Context Sse sse) {
        String resumeFrom = lastEventId != null ? lastEventId : lastEventIdParameter;
        EventId after = resumeFrom == null ? null
                : EventId.parse(resumeFrom.trim(), lastEventId != null ? "Last-Event-ID" : "last_event_id");
        Caller caller;
        Instant authorityExpiry;
        if (CurrentRequest.get().getUserPrincipal() == null && ticket != null) {
            StreamTickets.Holder holder = tickets.redeem(ticket, null);
            caller = holder.caller();
            authorityExpiry = holder.expiresAt();
        } else {
            caller = callers.current();
            authorityExpiry = callers.authorityExpiry();
        }
        fanOut.subscribe(caller, sink, sse, after, after == null ? events.now() : null, authorityExpiry);
    }

    /** A ticket for the caller's inbox stream, for a browser's EventSource; it opens no other stream or route. */
    @RateLimited(RateLimited.Kind.CREATES)
    @POST
    @Path("tickets")
    @Produces(MediaType.APPLICATION_JSON)
    public StreamTicketView ticket() {
        StreamTickets.Ticket ticket = tickets.issue(callers.current(), null, callers.authorityExpiry());
        return new StreamTicketView(ticket.value(), Timestamps.format(ticket.expiresAt()),
                "/inbox/events?" + StreamTicketAccepted.PARAMETER + "=" + ticket.value());
    }

    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Response probe() {
        callers.current();
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
