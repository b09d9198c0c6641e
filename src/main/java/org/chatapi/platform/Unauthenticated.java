package org.chatapi.platform;

import jakarta.ws.rs.core.Response.Status;

/** No usable bearer token: 401 with {@code WWW-Authenticate: Bearer}. */
public class Unauthenticated extends ApiException {

    public Unauthenticated(String detail) {
        super(Status.UNAUTHORIZED, "unauthenticated", "Authentication required", detail);
    }
}
