package io.omninode.bridge.adapter.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/run-local.sh}'s PostgreSQL chores, over JDBC because a machine with only a JDK has no psql.
 * Run from the test class path with {@code -Dbridge.local.dir=<LOCAL_DIR>}:
 * <ul>
 *   <li>{@code prepare <host> <port> <database> <user> [--embedded]}: with {@code --embedded}, starts the kept
 *   embedded cluster of {@code <LOCAL_DIR>/postgres/} on that port of 127.0.0.1 (initdb the first time); then
 *   waits for the server and creates the role (password from {@code BRIDGE_DATABASE_PASSWORD}, kept off the
 *   command line) and the database when missing.</li>
 *   <li>{@code rows <host> <port> <database> <seconds> <table>...}: waits until every table has a row, prints
 *   each table's count; exits 1 naming the empty ones.</li>
 * </ul>
 * The superuser is {@code postgres}, with {@code PGPASSWORD} if the server asks for a password.
 */
public final class LocalPostgres {

  private static final long WAIT_MS = 30_000;

  private LocalPostgres() {
  }

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    String database = args[3];
    try {
      switch (args[0]) {
        case "prepare" -> prepare(host, port, database, args[4], List.of(args).contains("--embedded"));
        case "rows" -> System.exit(rows(host, port, database, Integer.parseInt(args[4]),
            List.of(args).subList(5, args.length)));
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (SQLException | IllegalStateException e) { // said in a line, as the script's own errors are
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void prepare(String host, int port, String database, String user, boolean embedded) throws Exception {
    if (embedded) {
      startEmbedded(port);
    }
    try (Connection admin = connect(host, port, "postgres")) {
      if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
        System.out.println("==> creating role " + user);
        String password = System.getenv().getOrDefault("BRIDGE_DATABASE_PASSWORD", "");
        execute(admin, "CREATE ROLE " + identifier(user) + " LOGIN PASSWORD " + literal(password));
      }
      if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        System.out.println("==> creating database " + database);
        execute(admin, "CREATE DATABASE " + identifier(database) + " OWNER " + identifier(user));
      }
    }
  }

  private static void startEmbedded(int port) throws Exception {
    Path directory = PostgresBinaries.LOCAL.resolve("postgres");
    if (!PostgresBinaries.serverReachable(directory, "unreachable").equals(directory)) {
      throw new IllegalStateException("PostgreSQL refuses to run as root, so it runs as nobody, who cannot pass "
          + "through a directory above " + directory + "; set LOCAL_DIR to a directory every user can reach");
    }
    PrivatePostgres postgres = PrivatePostgres.kept(directory, port).start(Map.of());
    System.out.printf("==> started the embedded PostgreSQL %s on 127.0.0.1:%d (data %s, log %s)%n",
        PostgresBinaries.VERSION, port, postgres.dataDirectory(), directory.resolve("server.log"));
  }

  private static int rows(String host, int port, String database, int seconds, List<String> tables) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    try (Connection connection = connect(host, port, database)) {
      do {
        for (String table : tables) {
          counts.put(table, count(connection, table));
        }
      } while (counts.containsValue(0L) && System.currentTimeMillis() < deadline && pause());
    }
    System.out.printf("%n%-22s %s%n", "table", "rows");
    counts.forEach((table, count) -> System.out.printf("%-22s %d%n", table, count));
    List<String> empty = counts.keySet().stream().filter(table -> counts.get(table) == 0).toList();
    if (!empty.isEmpty()) {
      System.err.println("error: no row after " + seconds + " s in " + String.join(", ", empty));
      return 1;
    }
    return 0;
  }

  /** Retries while the server starts (the machine's, just started by pg_ctlcluster, may take a few seconds). */
  private static Connection connect(String host, int port, String database) throws SQLException {
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      try {
        return DriverManager.getConnection(url, "postgres", password);
      } catch (SQLException e) {
        if (System.currentTimeMillis() > deadline || !pause()) {
          throw new SQLException("PostgreSQL at " + host + ":" + port + " does not let postgres in: " + e.getMessage(), e);
        }
      }
    }
  }

  private static boolean exists(Connection connection, String query, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      try (ResultSet result = statement.executeQuery()) {
        return result.next();
      }
    }
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery("SELECT count(*) FROM " + identifier(table))) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static boolean pause() {
    try {
      Thread.sleep(500);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
