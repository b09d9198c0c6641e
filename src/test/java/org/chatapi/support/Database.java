package org.chatapi.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct reads of the test database, for what the API deliberately does not show (e.g. orphan rows). */
public final class Database {

    /** The connection the reads share: a property test reads the row counts around each of its thousand requests. */
    private static Connection reads;

    private Database() {
    }

    /** A new connection to the test database, as the application's own role. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("chat.db.url"), System.getProperty("chat.db.user"),
                System.getProperty("chat.db.password"));
    }

    /** The single number a query with positional text parameters answers. */
    public static synchronized long count(String sql, String... parameters) {
        try (PreparedStatement statement = reads().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement with positional text parameters (cast in the SQL where needed); answers the rows it changed. */
    public static synchronized int update(String sql, String... parameters) {
        try (PreparedStatement statement = reads().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many rows each table holds, as one comparable text: unchanged after a refused request. */
    public static synchronized String rowCounts() {
        try (PreparedStatement statement = reads().prepareStatement("""
                     SELECT concat_ws(' ', (SELECT count(*) FROM room), (SELECT count(*) FROM message),
                            (SELECT sum(message_count) FROM room), (SELECT count(*) FROM chat),
                            (SELECT count(*) FROM chat_event_room), (SELECT count(*) FROM idempotency_key),
                            (SELECT count(*) FROM read_marker), (SELECT sum(position) FROM read_marker),
                            (SELECT count(*) FROM message_change), (SELECT sum(version) FROM message),
                            (SELECT count(*) FROM message WHERE deleted_at IS NOT NULL),
                            (SELECT count(*) FROM data_request), (SELECT count(retention_days) FROM room))""");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared read connection, opened anew when the last one is gone (the fault tests restart the database). */
    private static Connection reads() throws SQLException {
        if (reads == null || !reads.isValid(5)) {
            if (reads != null) {
                reads.close();
            }
            reads = connect();
        }
        return reads;
    }
}
