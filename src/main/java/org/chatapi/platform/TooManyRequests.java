package org.chatapi.platform;

import jakarta.ws.rs.core.Response.Status;

/** A caller over one of its limits: 429, to be retried after {@link #retryAfterSeconds()}. */
public class TooManyRequests extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequests(String detail, long retryAfterSeconds) {
        super(Status.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
