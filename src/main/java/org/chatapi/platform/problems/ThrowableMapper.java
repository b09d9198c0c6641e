package org.chatapi.platform.problems;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.ApiException;
import org.chatapi.platform.DatabaseFailures;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.RequestIds;

/**
 * Everything else: the database being unreachable or busy is a 503 with Retry-After, a request body that does not
 * arrive in time a 408; any other failure is logged with its stack trace and answered with a bare 500 that reveals
 * nothing.
 */
@Provider
public class ThrowableMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ThrowableMapper.class.getName());
    static final int RETRY_AFTER_SECONDS = 2;

    @Context
    UriInfo uri;

    @Inject
    Metrics metrics;

    @Override
    public Response toResponse(Throwable exception) {
        ApiException api = causeOf(exception, ApiException.class);
        if (api != null) {
            return Problems.of(api, uri.getPath());
        }
        if (DatabaseFailures.isUnavailable(exception)) {
            LOG.log(Level.WARNING, "Database unavailable or busy (request {0}): {1}",
                    new Object[] {RequestIds.current(), exception.toString()});
            metrics.unavailable("database");
            return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "database-unavailable",
                            "The database is not reachable or too busy right now; retry shortly.", uri.getPath()))
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        if (DatabaseFailures.isRefusedValue(exception)) {
            LOG.log(Level.INFO, "The database refused a value of request {0}: {1}",
                    new Object[] {RequestIds.current(), exception.toString()});
            return Problems.of(Response.Status.BAD_REQUEST, "value-not-storable",
                    "A value of this request cannot be stored.", uri.getPath());
        }
        if (causeOf(exception, IOException.class) != null) {
            // Reading the request failed: the client stalled past the request timeout, or went away.
            return Problems.of(Response.Status.REQUEST_TIMEOUT, "request-timeout",
                    "The request did not arrive completely in time.", uri.getPath());
        }
        return Problems.internalError(exception, "/" + uri.getPath());
    }

    private static <T extends Throwable> T causeOf(Throwable exception, Class<T> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
