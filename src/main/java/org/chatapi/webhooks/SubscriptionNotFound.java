package org.chatapi.webhooks;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** No webhook subscription has this id. */
public class SubscriptionNotFound extends ApiException {

    public SubscriptionNotFound(UUID id) {
        super(Status.NOT_FOUND, "webhook-not-found", "Not found", "There is no webhook subscription " + id + ".");
    }
}
