package org.chatapi.webhooks;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.CREATES;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.Pages;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;

/** Webhook subscriptions (admin, and tenants for their audience's rooms), their delivery logs and replays. */
@ApplicationScoped
@Path("webhooks")
@Produces(APPLICATION_JSON)
public class WebhooksResource {

    static final int MAX_URL = 2000;
    static final int MAX_AUDIENCE = 255;
    static final int MAX_PAGE = 1000;
    static final int MAX_REPLAY = 10_000;

    @EJB
    Webhooks webhooks;

    @Inject
    Callers callers;

    /** Paged lists. */
    public record SubscriptionList(List<SubscriptionView> webhooks) {
    }

    public record DeliveryList(List<DeliveryView> deliveries) {
    }

    public record Replayed(int replayed) {
    }

    /** {@code {"url", "eventTypes": [...], "room"?, "audience"?}}: 201 with the subscription and its secret. */
    @RateLimited(CREATES)
    @POST
    @Consumes(APPLICATION_JSON)
    public Response create(byte[] body) {
        JsonObject request = RequestBodies.object(body);
        String room = RequestBodies.optionalText(request, "room", 36);
        SubscriptionView created = webhooks.create(callers.current(), new Webhooks.Target(
                RequestBodies.requiredText(request, "url", MAX_URL).trim(), eventTypes(request, true),
                room == null ? null : Ids.parse(room, "room"),
                RequestBodies.optionalText(request, "audience", MAX_AUDIENCE)));
        return Response.created(URI.create("/webhooks/" + created.id())).entity(created).build();
    }

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("after") String after,
                         @Context UriInfo uri) {
        int size = Pages.limit(limit, 100, MAX_PAGE);
        List<SubscriptionView> page = webhooks.list(callers.current(),
                after == null ? null : Ids.parse(after, "after"), size);
        Response.ResponseBuilder response = Response.ok(new SubscriptionList(page));
        if (page.size() == size) {
            response.link(Pages.selfReference(uri).replaceQueryParam("after", page.get(page.size() - 1).id())
                    .build(), "next");
        }
        return response.build();
    }

    @GET
    @Path("{id}")
    public SubscriptionView find(@PathParam("id") String id) {
        return webhooks.find(callers.current(), Ids.parse(id, "id"));
    }

    /** {@code {"url"?, "eventTypes"?, "enabled"?}}: changes what is given. */
    @PATCH
    @Path("{id}")
    @Consumes({APPLICATION_JSON, "application/merge-patch+json"})
    public SubscriptionView update(@PathParam("id") String id, byte[] body) {
        JsonObject request = RequestBodies.object(body);
        String url = RequestBodies.optionalText(request, "url", MAX_URL);
        JsonValue enabled = request.get("enabled");
        if (enabled != null && enabled != JsonValue.TRUE && enabled != JsonValue.FALSE) {
            throw new InvalidRequest("\"enabled\" must be true or false.");
        }
        return webhooks.update(callers.current(), Ids.parse(id, "id"), url == null ? null : url.trim(),
                eventTypes(request, false), enabled == null ? null : enabled == JsonValue.TRUE);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(callers.current(), Ids.parse(id, "id"));
        return Response.noContent().build();
    }

    /** A new secret, shown once; the previous one signs too for a while. */
    @RateLimited(CREATES)
    @POST
    @Path("{id}/secret")
    public SubscriptionView rotate(@PathParam("id") String id) {
        return webhooks.rotate(callers.current(), Ids.parse(id, "id"));
    }

    /** The delivery log, newest first: {@code ?state=pending|delivered|failed&limit=&before=<delivery id>}. */
    @GET
    @Path("{id}/deliveries")
    public Response deliveries(@PathParam("id") String id, @QueryParam("state") String state,
                               @QueryParam("limit") String limit, @QueryParam("before") String before,
                               @Context UriInfo uri) {
        if (state != null && !List.of("pending", "delivered", "failed").contains(state)) {
            throw new InvalidRequest("\"state\" must be pending, delivered or failed.");
        }
        int size = Pages.limit(limit, 50, MAX_PAGE);
        List<DeliveryView> page = webhooks.deliveries(callers.current(), Ids.parse(id, "id"), state,
                before == null ? null : Ids.parse(before, "before"), size);
        Response.ResponseBuilder response = Response.ok(new DeliveryList(page));
        if (page.size() == size) {
            response.link(Pages.selfReference(uri).replaceQueryParam("before", page.get(page.size() - 1).id())
                    .build(), "next");
        }
        return response.build();
    }

    /** Sends one delivery again (it keeps its webhook-id): 200 {"replayed": 1}, or 0 while it is still pending. */
    @RateLimited(CREATES)
    @POST
    @Path("{id}/deliveries/{deliveryId}/replay")
    public Replayed replayOne(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return new Replayed(webhooks.replay(callers.current(), Ids.parse(id, "id"),
                Ids.parse(deliveryId, "deliveryId"), Instant.EPOCH, Instant.now().plusSeconds(60), 1));
    }

    /**
     * {@code {"since": <time>, "until"?: <time>}}: sends again the finished deliveries of events in that range, the
     * oldest {@value #MAX_REPLAY} at most per request.
     */
    @RateLimited(CREATES)
    @POST
    @Path("{id}/replay")
    @Consumes(APPLICATION_JSON)
    public Replayed replayRange(@PathParam("id") String id, byte[] body) {
        JsonObject request = RequestBodies.object(body);
        Instant since = instant(RequestBodies.requiredText(request, "since", 40), "since");
        String until = RequestBodies.optionalText(request, "until", 40);
        Instant end = until == null ? Instant.now().plusSeconds(60) : instant(until, "until");
        if (!end.isAfter(since)) {
            throw new InvalidRequest("\"until\" must be after \"since\".");
        }
        return new Replayed(webhooks.replay(callers.current(), Ids.parse(id, "id"), null, since, end, MAX_REPLAY));
    }

    private static Instant instant(String text, String name) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("\"" + name + "\" must be a time such as 2020-10-19T11:49:13.379Z.");
        }
    }

    /** The event types asked for: a non-empty array of known types, each once; null when absent and optional. */
    private static List<String> eventTypes(JsonObject request, boolean required) {
        JsonValue value = request.get("eventTypes");
        if (value == null && !required) {
            return null;
        }
        String complaint = "\"eventTypes\" must be a non-empty array of distinct event types: "
                + String.join(", ", Webhooks.EVENT_TYPES) + ".";
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > Webhooks.EVENT_TYPES.size()) {
            throw new InvalidRequest(complaint);
        }
        List<String> types = new ArrayList<>();
        for (JsonValue type : array) {
            if (!(type instanceof JsonString text) || !Webhooks.EVENT_TYPES.contains(text.getString())
                    || types.contains(text.getString())) {
                throw new InvalidRequest(complaint);
            }
            types.add(text.getString());
        }
        return types;
    }
}
