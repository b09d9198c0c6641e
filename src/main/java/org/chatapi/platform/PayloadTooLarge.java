package org.chatapi.platform;

import jakarta.ws.rs.core.Response.Status;

/** The request body is over the configured limit: 413. */
public class PayloadTooLarge extends ApiException {

    public PayloadTooLarge(long limit) {
        super(Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", "Request body too large",
                "The request body is larger than " + limit + " bytes.");
    }
}
