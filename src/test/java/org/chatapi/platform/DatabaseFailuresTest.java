package org.chatapi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @Test
    void aDatabaseStartingUpOrShuttingDownIsUnavailable() {
        for (String state : new String[] {"57P03", "57P01", "08006", "08001", "53300", "40001", "40P01", "55P03"}) {
            assertThat(DatabaseFailures.isUnavailable(new PersistenceException(new SQLException("not now", state))))
                    .as(state).isTrue();
        }
    }

    @Test
    void looksAtChainedExceptionsToo() {
        SQLException outer = new SQLException("Error in allocating a connection");
        outer.setNextException(new SQLException("FATAL: the database system is starting up", "57P03"));
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(outer))).isTrue();
    }

    @Test
    void aValueTheDatabaseRefusesIsTheRequestsFault() {
        RuntimeException tooLong = new PersistenceException(new SQLException("value too long", "22001"));
        assertThat(DatabaseFailures.isRefusedValue(tooLong)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(tooLong)).isFalse();
        assertThat(DatabaseFailures.isRefusedValue(new PersistenceException(new SQLException("check", "23514")))).isTrue();
        assertThat(DatabaseFailures.isRefusedValue(new PersistenceException(new SQLException("unique", "23505")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("a bug"))).isFalse();
    }
}
