package org.chatapi.platform;

import jakarta.ws.rs.core.Response.Status;

/** A valid token without the right to do this: 403. */
public class AccessDenied extends ApiException {

    public AccessDenied(String detail) {
        super(Status.FORBIDDEN, "access-denied", "Access denied", detail);
    }
}
