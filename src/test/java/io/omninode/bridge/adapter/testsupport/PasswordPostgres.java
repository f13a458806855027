package io.omninode.bridge.adapter.testsupport;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A {@link PrivatePostgres} that asks for passwords: every role but the superuser {@code postgres} logs in with
 * scram-sha-256 (the machine's server and the shared test server trust everyone, so a wrong password would pass
 * there). The superuser keeps trust, for the test's own sessions.
 */
public final class PasswordPostgres implements AutoCloseable {

  private static final String HBA = """
      # written by PasswordPostgres: the superuser is trusted, everyone else gives a password
      host all postgres 127.0.0.1/32 trust
      host all all      127.0.0.1/32 scram-sha-256
      """;

  private final PrivatePostgres postgres;

  private PasswordPostgres(PrivatePostgres postgres) {
    this.postgres = postgres;
  }

  public static PasswordPostgres start() throws IOException, InterruptedException {
    PrivatePostgres postgres = PrivatePostgres.create(Ports.free());
    try {
      String hba = postgres.serverFile("pg_hba.conf", HBA).toString();
      postgres.start(Map.of("hba_file", hba, "password_encryption", "scram-sha-256", "fsync", "off"));
      return new PasswordPostgres(postgres);
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  public String host() {
    return postgres.target().host();
  }

  public int port() {
    return postgres.target().port();
  }

  /** A new login role with {@code password} and a database it owns (so that it may migrate it); returns both names. */
  public Login createLogin(String prefix, String password) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    execute("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
    execute("postgres", "CREATE DATABASE " + name + " OWNER " + name);
    return new Login(name, name);
  }

  /** The role and the database it owns, which share a name. */
  public record Login(String role, String database) {
  }

  public void changePassword(Login login, String password) throws SQLException {
    execute("postgres", "ALTER ROLE " + login.role() + " PASSWORD '" + password + "'");
  }

  /** Why the server refuses {@code password} for the role (its SQLSTATE), or empty when it lets the role in. */
  public Optional<String> refusal(Login login, String password) {
    try (Connection ignored = DriverManager.getConnection(jdbcUrl(login.database()), login.role(), password)) {
      return Optional.empty();
    } catch (SQLException refused) {
      return Optional.of(refused.getSQLState());
    }
  }

  /** Ends every session of {@code applicationName} on the role's database; returns how many there were. */
  public long terminateSessions(Login login, String applicationName) throws SQLException {
    return queryLong(login, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        + " WHERE datname = '" + login.database() + "' AND application_name = '" + applicationName + "'");
  }

  /** The sessions of {@code applicationName} on the role's database that started before {@code instant} (or since, with {@code before} false). */
  public long sessions(Login login, String applicationName, boolean before, Instant instant) throws SQLException {
    return queryLong(login, "SELECT count(*) FROM pg_stat_activity WHERE " + ofRole(login, applicationName)
        + " AND backend_start " + (before ? "<" : ">=") + " '" + instant + "'::timestamptz");
  }

  /** The process ids of the sessions of {@code applicationName} on the role's database. */
  public Set<Long> sessionPids(Login login, String applicationName) throws SQLException {
    try (Connection connection = superuser(login.database()); Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE " + ofRole(login, applicationName))) {
      Set<Long> pids = new TreeSet<>();
      while (rs.next()) {
        pids.add(rs.getLong(1));
      }
      return pids;
    }
  }

  private static String ofRole(Login login, String applicationName) {
    return "datname = '" + login.database() + "' AND usename = '" + login.role() + "' AND application_name = '"
        + applicationName + "'";
  }

  /** One number from the role's database, asked as the superuser. */
  public long queryLong(Login login, String sql) throws SQLException {
    try (Connection connection = superuser(login.database()); Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String database, String sql) throws SQLException {
    try (Connection connection = superuser(database); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
  }

  private String jdbcUrl(String database) {
    return postgres.target().jdbcUrl(database);
  }

  @Override
  public void close() {
    postgres.close();
  }
}
