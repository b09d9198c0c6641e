package org.chatapi.platform;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else: the database being unreachable is a 503 with Retry-After; any other failure is logged with its
 * stack trace and answered with a bare 500 that reveals nothing.
 */
@Provider
public class ThrowableMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ThrowableMapper.class.getName());
    static final int RETRY_AFTER_SECONDS = 2;

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable exception) {
        ApiException api = causeOf(exception, ApiException.class);
        if (api != null) {
            return Problems.of(api, uri.getPath());
        }
        if (isDatabaseUnavailable(exception)) {
            LOG.log(Level.WARNING, "Database unavailable: {0}", exception.toString());
            return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "database-unavailable",
                            "The database is not reachable right now; retry shortly.", uri.getPath()))
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        return internalError(exception, uri.getPath());
    }

    static Response internalError(Throwable exception, String path) {
        LOG.log(Level.SEVERE, "Unexpected failure on /" + path, exception);
        Response.Status status = Response.Status.INTERNAL_SERVER_ERROR;
        return Response.status(status)
                .type(Problems.PROBLEM_JSON)
                .entity(Problems.body(status, null, status.getReasonPhrase(),
                        "The server failed to answer this request.", Map.of(), path))
                .build();
    }

    private static boolean isDatabaseUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof org.hibernate.exception.JDBCConnectionException
                    || cause.getClass().getName().equals("com.sun.appserv.connectors.internal.api.PoolingException")
                    || cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P01"))) {
                return true;
            }
        }
        return false;
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
