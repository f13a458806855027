package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;

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
        .dataSource(dataSource(settings))
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

  static PGSimpleDataSource dataSource(DatabaseSettings settings) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {settings.host()});
    dataSource.setPortNumbers(new int[] {settings.port()});
    dataSource.setDatabaseName(settings.database());
    dataSource.setUser(settings.user());
    dataSource.setPassword(settings.password());
    dataSource.setApplicationName(PgPools.APPLICATION_NAME);
    try {
      for (Map.Entry<String, String> property : PgTls.jdbcProperties(settings).entrySet()) {
        dataSource.setProperty(property.getKey(), property.getValue());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("pgjdbc refused a TLS property", e);
    }
    return dataSource;
  }
}
