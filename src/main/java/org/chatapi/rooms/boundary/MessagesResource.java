package org.chatapi.rooms.boundary;

import static jakarta.ws.rs.core.MediaType.APPLICATION_FORM_URLENCODED;
import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Limits;
import org.chatapi.platform.Pages;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.RoomResponses.ChatList;
import org.chatapi.rooms.boundary.RoomResponses.OneChat;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The message routes of a room: post (JSON or form), page through the history, read one. */
@ApplicationScoped
@Path("room/{id}/chat")
@Produces(APPLICATION_JSON)
@Tag(name = "Rooms")
public class MessagesResource {

    static final int DEFAULT_HISTORY_PAGE = 50;

    @Inject
    Messages messages;

    @Inject
    GroupCommit groupCommit;

    @Inject
    Callers callers;

    @Inject
    Limits limits;

    @Idempotent
    @PostOutcomes.Counted
    @POST
    @Consumes(APPLICATION_JSON)
    @Operation(summary = "Post a message into a room", description = "Also answers with a trailing slash.")
    @RequestBody(content = @Content(mediaType = APPLICATION_JSON, schema = @Schema(implementation = NewChat.class)))
    @APIResponse(responseCode = "201", description = "Posted; Location names the message",
            content = @Content(schema = @Schema(implementation = OneChat.class)))
    public Response postJson(@PathParam("id") String id, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        String text = RequestBodies.requiredText(RequestBodies.object(body), "chat", limits.maxMessageLength());
        return posted(groupCommit.post(callers.current(), roomId, text), roomId);
    }

    @Idempotent
    @PostOutcomes.Counted
    @POST
    @Consumes(APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Post a message into a room, form-encoded (chat=<text>)")
    @APIResponse(responseCode = "201", description = "Posted; Location names the message",
            content = @Content(schema = @Schema(implementation = OneChat.class)))
    public Response postForm(@PathParam("id") String id, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        String text = RequestBodies.checkText(RequestBodies.form(body).get("chat"), "chat", limits.maxMessageLength());
        return posted(groupCommit.post(callers.current(), roomId, text), roomId);
    }

    @GET
    @Operation(summary = "Read a room's messages in post order, in keyset pages",
            description = "Without a cursor: the first messages. after=N: the messages following position N; "
                    + "before=N: the messages just before position N (the latest: before = __v + 1). Link headers "
                    + "rel=\"next\" and rel=\"prev\" point to the neighbouring pages.")
    @APIResponse(responseCode = "200", description = "A page of messages",
            content = @Content(schema = @Schema(implementation = ChatList.class)))
    public Response history(@PathParam("id") String id,
                            @Parameter(description = "Page size, 1 to 1000 (default 50)") @QueryParam("limit") String limit,
                            @Parameter(description = "Position after which the page starts") @QueryParam("after") String after,
                            @Parameter(description = "Position before which the page ends") @QueryParam("before") String before,
                            @Context UriInfo uri) {
        UUID roomId = Ids.parse(id, "id");
        int size = Pages.limit(limit, DEFAULT_HISTORY_PAGE, RoomsResource.MAX_PAGE);
        int from = Pages.position(after, "after", 0);
        int to = Pages.position(before, "before", Integer.MAX_VALUE);
        boolean fromEnd = before != null && after == null;
        MessagePage page = messages.history(callers.current(), roomId, from, to, size, fromEnd);
        Response.ResponseBuilder response = Response.ok(ChatList.of(page));
        if (page.hasNext(from)) {
            int last = page.messages().isEmpty() ? from : page.messages().get(page.messages().size() - 1).position();
            response.link(Pages.selfReference(uri).replaceQueryParam("before").replaceQueryParam("limit", size)
                    .replaceQueryParam("after", last).build(), "next");
        }
        if (page.hasPrevious()) {
            response.link(Pages.selfReference(uri).replaceQueryParam("after").replaceQueryParam("limit", size)
                    .replaceQueryParam("before", page.messages().get(0).position()).build(), "prev");
        }
        return response.build();
    }

    @GET
    @Path("{chatId}")
    @Operation(summary = "Read one message of a room")
    @APIResponse(responseCode = "200", description = "The message",
            content = @Content(schema = @Schema(implementation = OneChat.class)))
    @APIResponse(responseCode = "400", description = "The message belongs to another room (\"wrong room and chat\"), "
            + "or an id is malformed")
    public OneChat find(@PathParam("id") String id, @PathParam("chatId") String chatId) {
        return new OneChat(messages.find(callers.current(), Ids.parse(id, "id"), Ids.parse(chatId, "chatId")));
    }

    private static Response posted(MessageView message, UUID roomId) {
        return Response.created(URI.create("/room/" + roomId + "/chat/" + message.id()))
                .entity(new OneChat(message))
                .build();
    }

    @Schema(name = "NewChat")
    record NewChat(@Schema(required = true, description = "The text: not blank, at most the configured maximum "
            + "of characters (default 16384)") String chat) {
    }
}
