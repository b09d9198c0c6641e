package org.chatapi.rooms.boundary;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;

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
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.RoomResponses.NewRoom;
import org.chatapi.rooms.boundary.RoomResponses.OneRoom;
import org.chatapi.rooms.boundary.RoomResponses.RoomList;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The room routes: list, create and read rooms. Their messages are {@link MessagesResource}'s. */
@ApplicationScoped
@Path("room")
@Produces(APPLICATION_JSON)
@Tag(name = "Rooms", description = "Rooms and the chat messages posted into them")
public class RoomsResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    @Inject
    Rooms rooms;

    @Inject
    Callers callers;

    @GET
    @Operation(summary = "List rooms (pro or admin)", description = "Keyset pages in creation order; "
            + "a Link header with rel=\"next\" points to the following page while more remain.")
    @APIResponse(responseCode = "200", description = "A page of rooms",
            content = @Content(schema = @Schema(implementation = RoomList.class)))
    public Response list(
            @Parameter(description = "Page size, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "Id of the last room of the previous page") @QueryParam("after") String after,
            @Context UriInfo uri) {
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
    @POST
    @Operation(summary = "Create a room owned by the caller")
    @APIResponse(responseCode = "201", description = "Created; Location names the room",
            content = @Content(schema = @Schema(implementation = NewRoom.class)))
    public Response create() {
        RoomView room = rooms.create(callers.current());
        return Response.created(URI.create("/room/" + room.id())).entity(NewRoom.of(room)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a room: its message ids in post order and their count")
    @APIResponse(responseCode = "200", description = "The room",
            content = @Content(schema = @Schema(implementation = OneRoom.class)))
    public OneRoom find(@PathParam("id") String id) {
        return new OneRoom(rooms.find(callers.current(), Ids.parse(id, "id")));
    }
}
