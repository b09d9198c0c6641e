package org.chatapi.platform;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the database answers a query, and not once the instance is stopping. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = "jdbc/chat")
    DataSource dataSource;

    @Inject
    Lifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        if (lifecycle.isStopping()) {
            return HealthCheckResponse.named("database").down().withData("stopping", true).build();
        }
        if (!lifecycle.isStarted()) {
            return HealthCheckResponse.named("database").down().withData("starting", true).build();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("SELECT 1");
            return HealthCheckResponse.up("database");
        } catch (SQLException | RuntimeException e) {
            return HealthCheckResponse.named("database").down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
