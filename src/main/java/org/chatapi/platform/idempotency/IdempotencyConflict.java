package org.chatapi.platform.idempotency;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.chatapi.platform.ApiException;

/** Refusals of the Idempotency-Key protocol: a replay of a running request (409), a key reused for another (422). */
public class IdempotencyConflict extends ApiException {

    private IdempotencyConflict(Response.StatusType status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    static IdempotencyConflict stillRunning() {
        return new IdempotencyConflict(Status.CONFLICT, "idempotency-key-in-use", "Request still running",
                "The first request with this Idempotency-Key has not completed yet; retry later.");
    }

    static IdempotencyConflict reused() {
        return new IdempotencyConflict(UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request.");
    }
}
