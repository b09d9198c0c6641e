package org.chatapi.platform;

import jakarta.ws.rs.core.Response.Status;

/** The request is malformed or a field breaks a rule: 400. */
public class InvalidRequest extends ApiException {

    public InvalidRequest(String detail) {
        super(Status.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
