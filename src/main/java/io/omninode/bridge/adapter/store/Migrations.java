package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the versioned schema migrations (Flyway, over JDBC: blocking, run off the event loop).
 * A database that already has V1's tables but no Flyway history is baselined below V1, and V1
 * is written to accept the existing tables.
 */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  /** SQLSTATE classes of a database that could not be connected to: connection, authorization, no such database. */
  private static final List<String> CONNECTION_STATES = List.of("08", "28", "3D", "57P03");

  private Migrations() {
  }

  /** Fails with a message naming {@code host:port/database} and the driver's reason, not Flyway's banner. */
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

  private static MigrateResult migrate(Flyway flyway, DatabaseSettings settings) {
    try {
      return flyway.migrate();
    } catch (FlywayException e) {
      throw new IllegalStateException(describe(settings, e), e);
    }
  }

  /**
   * Flyway's own message is "Unable to obtain connection": say which database and why instead. A TLS or
   * login refusal says what is wrong with the settings; any other connection failure over TLS is given in
   * pgjdbc's words (its host-name refusal has no type of its own).
   */
  private static String describe(DatabaseSettings settings, FlywayException failure) {
    boolean tls = !settings.sslMode().equals("disable");
    Optional<String> refused = ConnectFailures.misconfiguration(failure, settings)
        .or(() -> tls ? connectionFailure(failure) : Optional.empty());
    if (refused.isPresent()) {
      return "Database migrations failed" + (tls ? " over TLS" : "") + " ("
          + ConnectFailures.tlsSettings(settings) + "): " + refused.get();
    }
    SQLException sql = sqlCause(failure);
    if (sql == null) {
      return "migrations failed on database " + settings.address() + ": " + failure.getMessage();
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    boolean unconnected = CONNECTION_STATES.stream().anyMatch(state::startsWith);
    return (unconnected ? "cannot connect to database " + settings.address() + " for migrations: "
        : "migrations failed on database " + settings.address() + ": ") + reason(sql);
  }

  /** The driver's message, and what it wraps when it says more ("The connection attempt failed." does not). */
  private static String reason(SQLException sql) {
    Throwable cause = sql.getCause();
    boolean causeSaysMore = cause != null && cause.getMessage() != null && !sql.getMessage().contains(cause.getMessage());
    return causeSaysMore ? sql.getMessage() + " (" + cause + ")" : sql.getMessage();
  }

  private static SQLException sqlCause(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
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
    PGSimpleDataSource dataSource = new PasswordPerConnection(settings);
    dataSource.setServerNames(new String[] {settings.host()});
    dataSource.setPortNumbers(new int[] {settings.port()});
    dataSource.setDatabaseName(settings.database());
    dataSource.setUser(settings.user());
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

  /** Flyway opens its connections through {@link #getConnection()}: each one logs in with the password of that moment. */
  private static final class PasswordPerConnection extends PGSimpleDataSource {

    private final transient DatabaseSettings settings;

    PasswordPerConnection(DatabaseSettings settings) {
      this.settings = settings;
    }

    @Override
    public Connection getConnection() throws SQLException {
      try {
        return getConnection(getUser(), PgPassword.read(settings));
      } catch (IOException unreadable) {
        throw new SQLException(unreadable.getMessage(), "08001", unreadable); // no login was tried
      }
    }
  }
}
