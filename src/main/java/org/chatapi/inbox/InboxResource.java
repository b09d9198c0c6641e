package org.chatapi.inbox;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.chatapi.inbox.InboxResponses.InboxPage;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.Pages;
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.ReadableRoom;
import org.chatapi.rooms.boundary.RoomsResource;

/**
 * The caller's inbox: every room it may read (its own, the event rooms of its audiences, all for pro and admin) as
 * it reads them, the most recently active first; or only the rooms waiting for a reply, the longest waiting first.
 */
@ApplicationScoped
@Path("inbox")
@Produces(APPLICATION_JSON)
public class InboxResource {

    static final int DEFAULT_PAGE = 50;

    @EJB
    Inbox inbox;

    @Inject
    Callers callers;

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("after") String after,
                         @QueryParam("waiting") String waiting, @Context UriInfo uri) {
        int size = Pages.limit(limit, DEFAULT_PAGE, RoomsResource.MAX_PAGE);
        InboxCursor cursor = after == null ? null : InboxCursor.parse(after, "after");
        boolean waitingOnly = flag(waiting, "waiting");
        List<InboxCursor.Entry> page = inbox.page(callers.current(), cursor, size + 1, waitingOnly);
        List<ReadableRoom> shown = page.stream().limit(size).map(InboxCursor.Entry::room).toList();
        Response.ResponseBuilder response = Response.ok(new InboxPage(shown));
        if (page.size() > size) {
            response.link(Pages.selfReference(uri)
                    .replaceQueryParam("limit", size)
                    .replaceQueryParam("after", page.get(size - 1).cursor())
                    .build(), "next");
        }
        return response.build();
    }

    private static boolean flag(String value, String name) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new InvalidRequest("\"" + name + "\" must be true or false.");
    }
}
