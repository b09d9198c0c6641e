package org.chatapi.scopedchats.boundary;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;

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
import org.chatapi.platform.Limits;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.security.Callers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@ApplicationScoped
@Path("api/v1")
@Produces(APPLICATION_JSON)
@Tag(name = "Scoped chats", description = "A tenant's chat for an (audience, scope) pair, bound to an event room")
public class ScopedChatsResource {

    @Inject
    ScopedChats chats;

    @Inject
    Callers callers;

    @Inject
    Limits limits;

    @Idempotent
    @POST
    @Path("chats")
    @Consumes(APPLICATION_JSON)
    @Operation(summary = "Create a chat and its event room (needs audience:<audience>)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ChatRequest.class,
            description = "scope and audience (strings), tags (object, optional)")))
    @APIResponse(responseCode = "201", description = "Created; Location names the chat",
            content = @Content(schema = @Schema(implementation = ChatView.class)))
    @APIResponse(responseCode = "409", description = "The audience already has a chat for this scope")
    public Response create(byte[] body) {
        ChatRequest request = ChatRequest.create(RequestBodies.object(body), limits.maxTagsBytes());
        return created(chats.create(callers.current(), request));
    }

    @Idempotent
    @POST
    @Path("chats/convert")
    @Consumes(APPLICATION_JSON)
    @Operation(summary = "Create a chat bound to an existing room (needs audience:<audience>; the caller must own "
            + "the room, or be pro or admin)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ChatRequest.class,
            description = "scope and audience (strings), tags (object, optional), event_room_id (UUID)")))
    @APIResponse(responseCode = "201", description = "Created; Location names the chat",
            content = @Content(schema = @Schema(implementation = ChatView.class)))
    @APIResponse(responseCode = "409", description = "The scope is taken, or the room already backs a chat")
    @APIResponse(responseCode = "422", description = "The room does not exist")
    public Response convert(byte[] body) {
        ChatRequest request = ChatRequest.convert(RequestBodies.object(body), limits.maxTagsBytes());
        return created(chats.convert(callers.current(), request));
    }

    @GET
    @Path("chats/{chat_id}")
    @Operation(summary = "Read a chat by its id")
    @APIResponse(responseCode = "200", description = "The chat",
            content = @Content(schema = @Schema(implementation = ChatView.class)))
    public ChatView find(@PathParam("chat_id") String chatId) {
        return chats.find(callers.current(), Ids.parse(chatId, "chat_id"));
    }

    @GET
    @Path("audiences/{audience}/chats/{scope: .+}")
    @Operation(summary = "Read a chat by audience and scope (URL-encode them: a scope may hold '/', spaces, "
            + "non-ASCII)")
    @APIResponse(responseCode = "200", description = "The chat",
            content = @Content(schema = @Schema(implementation = ChatView.class)))
    public ChatView find(@PathParam("audience") String audience, @PathParam("scope") String scope) {
        return chats.find(callers.current(), audience, scope);
    }

    private static Response created(ChatView chat) {
        return Response.created(URI.create("/api/v1/chats/" + chat.chatId())).entity(chat).build();
    }
}
