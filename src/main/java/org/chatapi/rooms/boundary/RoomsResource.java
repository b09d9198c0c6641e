package org.chatapi.rooms.boundary;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.CREATES;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Pages;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.RoomResponses.NewRoom;
import org.chatapi.rooms.boundary.RoomResponses.OneRoom;
import org.chatapi.rooms.boundary.RoomResponses.RoomList;

/** The room routes: list, create and read rooms. Their messages are {@link MessagesResource}'s. */
@ApplicationScoped
@Path("room")
@Produces(APPLICATION_JSON)
public class RoomsResource {

    static final int DEFAULT_PAGE = 100;
    /** The largest page of a listing: rooms, a room's messages, the inbox. */
    public static final int MAX_PAGE = 1000;

    @EJB
    Rooms rooms;

    @Inject
    Callers callers;

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("after") String after, @Context UriInfo uri) {
        int size = Pages.limit(limit, DEFAULT_PAGE, MAX_PAGE);
        UUID cursor = after == null ? null : Ids.parse(after, "after");
        List<RoomView> page = rooms.list(callers.current(), cursor, size + 1);
        Response.ResponseBuilder response = Response.ok(RoomList.of(page.subList(0, Math.min(size, page.size()))));
        if (page.size() > size) {
            URI next = Pages.selfReference(uri)
                    .replaceQueryParam("limit", size)
                    .replaceQueryParam("after", page.get(size - 1).id())
                    .build();
            response.link(next, "next");
        }
        return response.build();
    }

    @Idempotent
    @RateLimited(CREATES)
    @POST
    public Response create() {
        RoomView room = rooms.create(callers.current());
        return Response.created(URI.create("/room/" + room.id())).entity(NewRoom.of(room)).build();
    }

    @GET
    @Path("{id}")
    public Response find(@PathParam("id") String id) {
        ReadableRoom room = rooms.find(callers.current(), Ids.parse(id, "id"));
        Response.ResponseBuilder response = Response.ok(new OneRoom(room));
        if (room.chats().size() < room.version() - room.purgedThrough()) {
            // chats holds the latest ids only: the history has the messages before them (positions are gapless
            // from the first that retention kept).
            int firstShown = room.version() - room.chats().size() + 1;
            response.link(URI.create("/room/" + room.id() + "/chat?before=" + firstShown), "prev");
        }
        return response.build();
    }
}
