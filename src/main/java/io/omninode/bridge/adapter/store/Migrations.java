package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema migrations (Flyway, over JDBC: blocking, run off the event loop).
 * A database that already has the seed schema but no Flyway history is baselined below V1, and V1
 * is written to accept the existing tables.
 */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static int apply(DatabaseSettings settings) {
    Flyway flyway = Flyway.configure()
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
    MigrateResult result = flyway.migrate();
    log.atInfo()
        .addKeyValue("database", settings.database())
        .addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("schema_version", flyway.info().current().getVersion().getVersion())
        .log("Schema migrated");
    return result.migrationsExecuted;
  }
}
