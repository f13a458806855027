package io.omninode.bridge.adapter.testsupport;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.store.Migrations;
import io.omninode.bridge.adapter.store.PgPools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh database of a test's own on the test PostgreSQL, with JDBC to look at it; dropped on close. */
public final class TestDatabase implements AutoCloseable {

  private final String name;
  private final DatabaseSettings settings;
  private final Connection jdbc;

  private TestDatabase(String name) throws SQLException {
    this.name = name;
    PgTarget pg = TestEnvironment.postgres();
    this.settings = AdapterSettings.from(new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", "unused:9092"))
        .put("database", new JsonObject().put("host", pg.host()).put("port", pg.port()).put("database", name)
            .put("user", pg.user()).put("password", pg.password()).put("pool_size", 4)), Map.of()).database();
    this.jdbc = DriverManager.getConnection(pg.jdbcUrl(name), pg.user(), pg.password());
  }

  /** An empty database whose name starts with {@code prefix}. */
  public static TestDatabase create(String prefix) throws SQLException {
    return new TestDatabase(TestEnvironment.createDatabase(prefix));
  }

  /** The same, with the adapter's schema migrated. */
  public static TestDatabase migrated(String prefix) throws SQLException {
    TestDatabase database = create(prefix);
    Migrations.apply(database.settings);
    return database;
  }

  public String name() {
    return name;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /** The adapter's own shared reactive pool on this database. */
  public Pool pool(Vertx vertx) {
    return PgPools.shared(vertx, settings);
  }

  public long count(String table) throws SQLException {
    return queryLong("SELECT count(*) FROM " + table);
  }

  public long queryLong(String sql) throws SQLException {
    try (Statement statement = jdbc.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public void execute(String sql) throws SQLException {
    try (Statement statement = jdbc.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A transaction holding {@code table} exclusively: the adapter's statements on it wait until it ends (close it). */
  public Connection lockTable(String table) throws SQLException {
    PgTarget pg = TestEnvironment.postgres();
    Connection connection = DriverManager.getConnection(pg.jdbcUrl(name), pg.user(), pg.password());
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }
    return connection;
  }

  /** Rows of a query as column -> text value maps, in result order. */
  public List<Map<String, String>> rows(String sql) throws SQLException {
    try (Statement statement = jdbc.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, String>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      jdbc.close();
    } finally {
      TestEnvironment.dropDatabase(name);
    }
  }
}
