package org.chatapi.platform;

import jakarta.transaction.SystemException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** What a failure that came from the database means for the request that met it. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * The database is away (no connection, pool exhausted, shutting down or starting up, the connection lost at
     * commit) or cannot serve the request now (statement or lock timeout, deadlock, serialization failure). A retry
     * is safe: the work rolled back, or, when the connection was lost during the commit, an Idempotency-Key makes
     * the retry replay it.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SystemException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof org.hibernate.exception.JDBCConnectionException
                    || POOL_FAILURES.contains(cause.getClass().getName())
                    || cause instanceof SQLException sql && isTransient(sql)) {
                return true;
            }
        }
        return false;
    }

    /** The server's connection pool failing to hand out a connection (the database away, or every one in use). */
    private static final Set<String> POOL_FAILURES = Set.of(
            "com.sun.appserv.connectors.internal.api.PoolingException",
            "jakarta.resource.spi.ResourceAllocationException");

    /** The SQLSTATE of the exception, or of one chained to it with {@code getNextException}, says "not now". */
    private static boolean isTransient(SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
            if (isTransient(next.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database refused a value of the request itself (SQLSTATE class 22, data exception, or 23514, a check
     * constraint): the request is at fault, and only it, so it is a 400 and never a reason to fail another's work.
     */
    public static boolean isRefusedValue(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().equals("23514"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection), 40 (rollback), 53 (resources), 57 (operator intervention: shutting down,
     * starting up — 57P03 — or a statement cancelled), and 55P03 (lock not available).
     */
    private static boolean isTransient(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("40") || sqlState.startsWith("53")
                || sqlState.startsWith("57") || sqlState.equals("55P03"));
    }
}
