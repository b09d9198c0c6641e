package org.chatapi.platform;

import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.Response.StatusType;
import java.util.Map;

/**
 * A client mistake or a refused request, answered as an RFC 9457 problem. Thrown from EJBs as is (no wrapping)
 * and rolling back the transaction it ends.
 */
@ApplicationException(rollback = true)
public abstract class ApiException extends RuntimeException {

    private final StatusType status;
    private final String type;
    private final String title;

    protected ApiException(StatusType status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public StatusType status() {
        return status;
    }

    /** 422: the request is well-formed, but names something it cannot work with (JAX-RS has no constant for it). */
    public static final StatusType UNPROCESSABLE_CONTENT = new StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Status.Family getFamily() {
            return Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

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

    /** Headers the answer carries besides the problem (e.g. {@code Retry-After}); none by default. */
    public Map<String, String> headers() {
        return Map.of();
    }
}
