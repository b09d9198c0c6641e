package org.chatapi.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import jakarta.persistence.SchemaValidationException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date before the application serves anything: Flyway applies {@code db/migration}, then
 * Hibernate checks that the entities match the tables (it never changes them). A mismatch stops the deployment.
 * Several instances starting at once are safe: Flyway serialises them with a database lock.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/chat")
    DataSource dataSource;

    @PersistenceUnit(unitName = "chat")
    EntityManagerFactory entityManagerFactory;

    private volatile String version;

    @PostConstruct
    void migrate() {
        Flyway flyway = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result = flyway.migrate();
        // A schema already up to date reports no target version: ask for the current one.
        MigrationInfo current = flyway.info().current();
        version = current == null ? "none" : current.getVersion().getVersion();
        LOG.info(() -> "Database schema at version " + version + " (" + result.migrationsExecuted
                + " migrations applied now)");
        try {
            entityManagerFactory.getSchemaManager().validate();
        } catch (SchemaValidationException e) {
            throw new IllegalStateException("The tables do not match the entities: " + e.getMessage(), e);
        }
    }

    /** The schema version the application runs on, once migrated. */
    public String version() {
        return version;
    }
}
