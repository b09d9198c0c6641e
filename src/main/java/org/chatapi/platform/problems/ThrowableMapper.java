package org.chatapi.platform.problems;

import jakarta.transaction.SystemException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.ApiException;

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

    @Override
    public Response toResponse(Throwable exception) {
        ApiException api = causeOf(exception, ApiException.class);
        if (api != null) {
            return Problems.of(api, uri.getPath());
        }
        if (isDatabaseUnavailable(exception)) {
            LOG.log(Level.WARNING, "Database unavailable or busy: {0}", exception.toString());
            return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "database-unavailable",
                            "The database is not reachable or too busy right now; retry shortly.", uri.getPath()))
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        if (causeOf(exception, IOException.class) != null) {
            // Reading the request failed: the client stalled past the request timeout, or went away.
            return Problems.of(Response.Status.REQUEST_TIMEOUT, "request-timeout",
                    "The request did not arrive completely in time.", uri.getPath());
        }
        return Problems.internalError(exception, "/" + uri.getPath());
    }

    /**
     * The database is away (no connection, pool exhausted, shutting down, the connection lost at commit) or cannot
     * serve the request now (statement or lock timeout, deadlock, serialization failure). A retry is safe: the work
     * rolled back, or, when the connection was lost during the commit, an Idempotency-Key makes the retry replay it.
     */
    private static boolean isDatabaseUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SystemException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof org.hibernate.exception.JDBCConnectionException
                    || cause.getClass().getName().equals("com.sun.appserv.connectors.internal.api.PoolingException")
                    || cause instanceof SQLException sql && isTransient(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE classes 08 (connection), 40 (rollback), 53 (resources), 57 (operator intervention), 55P03 (lock). */
    private static boolean isTransient(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("40") || sqlState.startsWith("53")
                || sqlState.startsWith("57") || sqlState.equals("55P03"));
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
