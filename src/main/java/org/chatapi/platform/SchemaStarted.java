package org.chatapi.platform;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the schema is migrated and the mapping validated ({@code /health/started}), naming its version. */
@Startup
@ApplicationScoped
public class SchemaStarted implements HealthCheck {

    @EJB
    SchemaMigration migration;

    @Override
    public HealthCheckResponse call() {
        String version = migration.version();
        return HealthCheckResponse.named("schema")
                .status(version != null)
                .withData("version", String.valueOf(version))
                .build();
    }
}
