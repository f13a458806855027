package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

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
    MigrateResult result = migrate(flyway, settings);
    log.atInfo()
        .addKeyValue("database", settings.database())
        .addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("schema_version", flyway.info().current().getVersion().getVersion())
        .log("Schema migrated");
    return result.migrationsExecuted;
  }

  /**
   * Flyway's own message is "Unable to obtain connection"; a refusal says why, and so does any connection
   * failure over TLS, in pgjdbc's words when no better ones are known (its host-name refusal has no type).
   */
  private static MigrateResult migrate(Flyway flyway, DatabaseSettings settings) {
    try {
      return flyway.migrate();
    } catch (FlywayException e) {
      boolean tls = !settings.sslMode().equals("disable");
      Optional<String> reason = ConnectFailures.misconfiguration(e, settings)
          .or(() -> tls ? connectionFailure(e) : Optional.empty());
      if (reason.isEmpty()) {
        throw e;
      }
      throw new IllegalStateException("Database migrations failed" + (tls ? " over TLS" : "") + " ("
          + ConnectFailures.tlsSettings(settings) + "): " + reason.get(), e);
    }
  }

  /** The innermost message of a connection failure (SQLSTATE class 08). */
  private static Optional<String> connectionFailure(Throwable failure) {
    String reason = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        reason = sql.getMessage();
      }
    }
    return Optional.ofNullable(reason);
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
