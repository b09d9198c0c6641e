package org.chatapi.privacy;

import static jakarta.ws.rs.core.MediaType.APPLICATION_JSON;
import static org.chatapi.platform.ratelimit.RateLimited.Kind.CREATES;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.math.BigInteger;
import org.chatapi.platform.Ids;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.ratelimit.RateLimited;
import org.chatapi.platform.security.Callers;

/** A room's retention: read by its readers, set by an admin or the room's tenant. */
@ApplicationScoped
@Path("room/{id}/retention")
@Produces(APPLICATION_JSON)
public class RetentionResource {

    @EJB
    Retention retention;

    @Inject
    Callers callers;

    @GET
    public RetentionView find(@PathParam("id") String id) {
        return retention.find(callers.current(), Ids.parse(id, "id"));
    }

    /** {@code {"days": n}} keeps the room's messages n days; {@code {"days": null}} returns it to the default. */
    @RateLimited(CREATES)
    @PUT
    @Consumes(APPLICATION_JSON)
    public RetentionView set(@PathParam("id") String id, byte[] body) {
        return retention.set(callers.current(), Ids.parse(id, "id"), days(RequestBodies.object(body)));
    }

    private static Integer days(JsonObject body) {
        JsonValue days = body.get("days");
        if (days == null) {
            throw new InvalidRequest("\"days\" is required: a number of days, or null for the server's default.");
        }
        if (days.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (days.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) days).isIntegral()
                || ((JsonNumber) days).bigIntegerValue().compareTo(BigInteger.ONE) < 0
                || ((JsonNumber) days).bigIntegerValue().compareTo(BigInteger.valueOf(Retention.MAX_DAYS)) > 0) {
            throw new InvalidRequest("\"days\" must be a whole number of days from 1 to " + Retention.MAX_DAYS
                    + ", or null for the server's default.");
        }
        return ((JsonNumber) days).intValue();
    }
}
