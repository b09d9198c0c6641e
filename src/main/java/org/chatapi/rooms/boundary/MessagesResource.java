package org.chatapi.rooms.boundary;

import static jakarta.ws.rs.core.MediaType.APPLICATION_FORM_URLENCODED;
import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.POSTS;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;
import org.chatapi.rooms.boundary.RoomResponses.ChatList;
import org.chatapi.rooms.boundary.RoomResponses.OneChat;

/**
 * The message routes of a room: post (JSON or form), page through the history, read one, edit, delete, and read a
 * message's earlier texts.
 */
@ApplicationScoped
@Path("room/{id}/chat")
@Produces(APPLICATION_JSON)
public class MessagesResource {

    static final int DEFAULT_HISTORY_PAGE = 50;
    /** Longest reason a message may be deleted for, in characters (as the database allows). */
    static final int MAX_REASON_LENGTH = 500;
    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    @EJB
    Messages messages;

    @Inject
    GroupCommit groupCommit;

    @Inject
    Callers callers;

    @Inject
    Limits limits;

    @Idempotent
    @PostOutcomes.Counted
    @RateLimited(POSTS)
    @POST
    @Consumes(APPLICATION_JSON)
    public Response postJson(@PathParam("id") String id, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        String text = RequestBodies.requiredText(RequestBodies.object(body), "chat", limits.maxMessageLength());
        return posted(groupCommit.post(callers.current(), roomId, text), roomId);
    }

    @Idempotent
    @PostOutcomes.Counted
    @RateLimited(POSTS)
    @POST
    @Consumes(APPLICATION_FORM_URLENCODED)
    public Response postForm(@PathParam("id") String id, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        String text = RequestBodies.checkText(RequestBodies.form(body).get("chat"), "chat", limits.maxMessageLength());
        return posted(groupCommit.post(callers.current(), roomId, text), roomId);
    }

    @GET
    public Response history(@PathParam("id") String id, @QueryParam("limit") String limit,
                            @QueryParam("after") String after, @QueryParam("before") String before,
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
    public OneChat find(@PathParam("id") String id, @PathParam("chatId") String chatId) {
        return new OneChat(messages.find(callers.current(), Ids.parse(id, "id"), Ids.parse(chatId, "chatId")));
    }

    /**
     * The author replaces the message's text ({@code {"chat": "<text>"}}, as JSON or JSON merge patch); the same
     * rules as posting apply to the text.
     */
    @Idempotent
    @RateLimited(POSTS)
    @PATCH
    @Path("{chatId}")
    @Consumes({APPLICATION_JSON, MERGE_PATCH_JSON})
    public Response edit(@PathParam("id") String id, @PathParam("chatId") String chatId, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        UUID messageId = Ids.parse(chatId, "chatId");
        String text = RequestBodies.requiredText(RequestBodies.object(body), "chat", limits.maxMessageLength());
        return Response.ok(new OneChat(messages.edit(callers.current(), roomId, messageId, text, limits.editWindow())))
                .build();
    }

    /** Deletes the message (its author, or pro or admin with an optional {@code reason}), leaving its tombstone. */
    @Idempotent
    @RateLimited(POSTS)
    @DELETE
    @Path("{chatId}")
    public Response delete(@PathParam("id") String id, @PathParam("chatId") String chatId,
                          @QueryParam("reason") String reason) {
        UUID roomId = Ids.parse(id, "id");
        UUID messageId = Ids.parse(chatId, "chatId");
        String checked = reason == null ? null : RequestBodies.checkText(reason, "reason", MAX_REASON_LENGTH);
        return Response.ok(new OneChat(messages.delete(callers.current(), roomId, messageId, checked))).build();
    }

    /** Every text the message had, for its author and for pro and admin. */
    @GET
    @Path("{chatId}/edits")
    public EditHistory edits(@PathParam("id") String id, @PathParam("chatId") String chatId) {
        return messages.editHistory(callers.current(), Ids.parse(id, "id"), Ids.parse(chatId, "chatId"));
    }

    private static Response posted(MessageView message, UUID roomId) {
        return Response.created(URI.create("/room/" + roomId + "/chat/" + message.id()))
                .entity(new OneChat(message))
                .build();
    }
}
