package org.chatapi.scopedchats.boundary;

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
import org.chatapi.platform.Limits;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.idempotency.Idempotent;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;

@ApplicationScoped
@Path("api/v1")
@Produces(APPLICATION_JSON)
public class ScopedChatsResource {

    @EJB
    ScopedChats chats;

    @Inject
    Callers callers;

    @Inject
    Limits limits;

    @Idempotent
    @RateLimited(CREATES)
    @POST
    @Path("chats")
    @Consumes(APPLICATION_JSON)
    public Response create(byte[] body) {
        ChatRequest request = ChatRequest.create(RequestBodies.object(body), limits.maxTagsBytes());
        return created(chats.create(callers.current(), request));
    }

    @Idempotent
    @RateLimited(CREATES)
    @POST
    @Path("chats/convert")
    @Consumes(APPLICATION_JSON)
    public Response convert(byte[] body) {
        ChatRequest request = ChatRequest.convert(RequestBodies.object(body), limits.maxTagsBytes());
        return created(chats.convert(callers.current(), request));
    }

    // Not "convert": that path is the conversion's alone (GET there is 405, as for any method it does not serve).
    @GET
    @Path("chats/{chat_id: (?!convert/?$)[^/]+}")
    public ChatView find(@PathParam("chat_id") String chatId) {
        return chats.find(callers.current(), Ids.parse(chatId, "chat_id"));
    }

    @GET
    @Path("audiences/{audience}/chats/{scope: .+}")
    public ChatView find(@PathParam("audience") String audience, @PathParam("scope") String scope) {
        return chats.find(callers.current(), audience, scope);
    }

    private static Response created(ChatView chat) {
        return Response.created(URI.create("/api/v1/chats/" + chat.chatId())).entity(chat).build();
    }
}
