package org.chatapi.platform.security;

import jakarta.ws.rs.core.Response.Status;
import org.chatapi.platform.ApiException;

/** No usable bearer token: 401 with {@code WWW-Authenticate: Bearer}. */
public class Unauthenticated extends ApiException {

    public Unauthenticated(String detail) {
        super(Status.UNAUTHORIZED, "unauthenticated", "Authentication required", detail);
    }
}
