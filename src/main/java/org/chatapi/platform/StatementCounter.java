package org.chatapi.platform;

import java.util.concurrent.atomic.LongAdder;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Counts the SQL statements the application prepares (a JDBC batch of inserts is one), for the metric
 * {@code chat_sql_statements}: what a request costs the database, whatever the data behind it. Hibernate creates it
 * from persistence.xml, outside CDI; hence the static count.
 */
public class StatementCounter implements StatementInspector {

    private static final LongAdder STATEMENTS = new LongAdder();

    @Override
    public String inspect(String sql) {
        STATEMENTS.increment();
        return sql;
    }

    /** Statements prepared since the application started. */
    public static long count() {
        return STATEMENTS.sum();
    }
}
