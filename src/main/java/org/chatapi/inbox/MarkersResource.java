package org.chatapi.inbox;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.MARKERS;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;
import org.chatapi.inbox.InboxResponses.OneMarker;

/** The caller's read marker in a room: read it, move it forward. */
@ApplicationScoped
@Path("room/{id}/marker")
@Produces(APPLICATION_JSON)
public class MarkersResource {

    @EJB
    ReadMarkers markers;

    @Inject
    Callers callers;

    @GET
    public OneMarker find(@PathParam("id") String id) {
        return new OneMarker(markers.find(callers.current(), Ids.parse(id, "id")));
    }

    /**
     * Marks the room read up to a message: {@code {"chat": "<message id>"}} or {@code {"position": n}}, one of them.
     * Repeating it, or sending an earlier one, changes nothing; so a client may send its markers in any order.
     */
    @RateLimited(MARKERS)
    @PUT
    @Consumes(APPLICATION_JSON)
    public OneMarker mark(@PathParam("id") String id, byte[] body) {
        UUID roomId = Ids.parse(id, "id");
        JsonObject marker = RequestBodies.object(body);
        JsonValue chat = marker.get("chat");
        JsonValue position = marker.get("position");
        if ((chat == null) == (position == null)) {
            throw new InvalidRequest("The marker names the last message read by one of \"chat\" (its id) or "
                    + "\"position\" (its position).");
        }
        if (chat != null) {
            if (chat.getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidRequest("\"chat\" must be a message id.");
            }
            UUID messageId = Ids.parse(((JsonString) chat).getString(), "chat");
            return new OneMarker(markers.mark(callers.current(), roomId, messageId, 0));
        }
        if (position.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) position).isIntegral()
                || ((JsonNumber) position).bigIntegerValue().signum() < 0
                || ((JsonNumber) position).bigIntegerValue().bitLength() > 31) {
            throw new InvalidRequest("\"position\" must be a message position: a whole number, 0 or more.");
        }
        return new OneMarker(markers.mark(callers.current(), roomId, null, ((JsonNumber) position).intValue()));
    }
}
