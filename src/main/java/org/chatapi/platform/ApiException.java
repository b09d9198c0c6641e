package org.chatapi.platform;

import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response.Status;
import java.util.Map;

/**
 * A client mistake or a refused request, answered as an RFC 9457 problem. Thrown from EJBs as is (no wrapping)
 * and rolling back the transaction it ends.
 */
@ApplicationException(rollback = true)
public abstract class ApiException extends RuntimeException {

    private final Status status;
    private final String type;
    private final String title;

    protected ApiException(Status status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public Status status() {
        return status;
    }

    /** A short slug naming the kind of problem, rendered as the problem's type URI. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Members added to the problem body besides type, title, status and detail. */
    public Map<String, String> extensions() {
        return Map.of();
    }
}
