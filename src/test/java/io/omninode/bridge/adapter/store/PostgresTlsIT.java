package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.MainVerticle;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.omninode.bridge.adapter.testsupport.DirectRequests;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.PrivatePostgres;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("database.ssl_mode against a PostgreSQL that has TLS on (a certificate for localhost from a private CA)")
class PostgresTlsIT {

  private static final int ROWS = 5;

  @TempDir
  static Path certificates;
  private static PrivatePostgres postgres;
  private static Path rightCa;
  private static Path otherCa;

  private String database;
  private Vertx vertx;

  @BeforeAll
  static void startPostgresWithTls() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("bridge test CA");
    CertificateAuthority.Issued server = ca.issue("localhost", "localhost");
    rightCa = Files.writeString(certificates.resolve("ca.pem"), ca.certificatePem());
    otherCa = Files.writeString(certificates.resolve("other-ca.pem"),
        CertificateAuthority.create("unrelated CA").certificatePem());
    postgres = PrivatePostgres.create(freePort());
    Path certificate = postgres.serverFile("server.crt", server.certificatePem());
    Path key = postgres.serverFile("server.key", server.privateKeyPem());
    postgres.start(Map.of("ssl", "on", "ssl_cert_file", certificate.toString(), "ssl_key_file", key.toString()));
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** The Vertx is VertxExtension's, closed after the test, before the database is dropped. */
  @BeforeEach
  void createDatabase(Vertx vertx) throws Exception {
    database = "tls_" + UUID.randomUUID().toString().substring(0, 8);
    execute("postgres", "CREATE DATABASE " + database);
    this.vertx = vertx;
  }

  @AfterEach
  void dropDatabase() throws Exception {
    execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @ParameterizedTest(name = "{0} (root certificate: {1}, host {2}, migrate: {3}): TLS {4}")
  @DisplayName("each mode writes rows over the connections libpq would make, with and without the migrations")
  @CsvSource({
      "require,     false, localhost, true,  true",
      "verify-full, true,  localhost, true,  true",
      "allow,       false, localhost, false, false", // libpq tries without TLS first, and this server accepts that
      "prefer,      false, localhost, false, true",
      "require,     true,  localhost, false, true",  // with a root certificate: verified as verify-ca
      "verify-ca,   true,  127.0.0.1, false, true",  // verify-ca does not check the host name
      "verify-full, true,  localhost, false, true"})
  void writesOverTheConnectionsLibpqWouldMake(String mode, boolean rootCert, String host, boolean migrate, boolean tls,
      VertxTestContext test) throws Exception {
    if (!migrate) { // the schema, over a plain connection: the reactive pool alone is under test
      Migrations.apply(new DatabaseSettings(
          "127.0.0.1", postgres.target().port(), database, "postgres", "", null, 1, 1, 0, false, "disable", null));
    }

    vertx.deployVerticle(MainVerticle.from(config(mode, rootCert ? rightCa : null, host, migrate)))
        .compose(deployed -> persistRows())
        .compose(written -> checkedOnAWorker(() -> { // JDBC blocks: off the event loop
          assertThat(query("SELECT count(*) FROM bridge_states", rs -> rs.getLong(1))).containsExactly((long) ROWS);
          assertThat(adapterSessionsUseTls()).as("pg_stat_ssl.ssl of the adapter's sessions").isNotEmpty()
              .containsOnly(tls);
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @ParameterizedTest(name = "{0}, migrate: {1}")
  @DisplayName("a root certificate from another CA refuses to start, saying the server's certificate is not trusted")
  @CsvSource({"verify-full, false", "verify-full, true", "require, false"})
  void anotherCaRefusesToStart(String mode, boolean migrate, VertxTestContext test) {
    startFailure(config(mode, otherCa, "localhost", migrate)).compose(failure -> checkedOnAWorker(() -> {
      assertThat(failure).hasMessageContaining(migrate ? "Database migrations failed over TLS" : "Cannot connect to PostgreSQL")
          .hasMessageContaining("database.ssl_mode=" + mode)
          .hasMessageContaining("the server's certificate is not trusted: it is not signed by the CA in "
              + "database.ssl_root_cert " + otherCa);
      assertThat(adapterSessionsUseTls()).isEmpty();
    })).onComplete(test.succeedingThenComplete());
  }

  @ParameterizedTest(name = "migrate: {0}")
  @DisplayName("verify-full to host 127.0.0.1, which the certificate does not list, refuses to start naming the mismatch")
  @ValueSource(booleans = {false, true})
  void hostNameMismatchRefusesToStart(boolean migrate, VertxTestContext test) {
    Future<Throwable> refused = startFailure(config("verify-full", rightCa, "127.0.0.1", migrate));

    refused.onComplete(test.succeeding(failure -> test.verify(() -> {
      assertThat(failure).hasMessageContaining(migrate
          ? "Database migrations failed over TLS (database.ssl_mode=verify-full"
          : "Cannot connect to PostgreSQL at 127.0.0.1");
      assertThat(failure).hasMessageContaining(migrate // pgjdbc's words: its host-name refusal has no exception type
          ? "The hostname 127.0.0.1 could not be verified"
          : "the server's certificate does not match host '127.0.0.1'");
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "migrate: {0}")
  @DisplayName("require against a PostgreSQL without TLS refuses to start, saying the server does not accept TLS")
  @ValueSource(booleans = {false, true})
  void serverWithoutTlsRefusesRequire(boolean migrate, VertxTestContext test) throws Exception {
    PgTarget plain = TestEnvironment.postgres();
    try (Connection connection = DriverManager.getConnection(plain.jdbcUrl("postgres"), plain.user(), plain.password());
         Statement statement = connection.createStatement(); ResultSet ssl = statement.executeQuery("SHOW ssl")) {
      assertThat(ssl.next() ? ssl.getString(1) : null).as("the shared test PostgreSQL has TLS off").isEqualTo("off");
    }
    JsonObject config = config("require", null, plain.host(), migrate);
    config.getJsonObject("database").put("port", plain.port()).put("user", plain.user()).put("password", plain.password());

    startFailure(config).onComplete(test.succeeding(failure -> test.verify(() -> {
      assertThat(failure).hasMessageContaining(migrate
          ? "Database migrations failed over TLS (database.ssl_mode=require): The server does not support SSL"
          : "(database.ssl_mode=require): TLS could not be set up: the server does not accept TLS connections");
      test.completeNow();
    })));
  }

  private JsonObject config(String mode, Path rootCert, String host, boolean migrate) {
    String prefix = "it.tls." + UUID.randomUUID().toString().substring(0, 8);
    JsonObject db = new JsonObject().put("host", host).put("port", postgres.target().port()).put("database", database)
        .put("user", "postgres").put("pool_size", 2).put("migrate", migrate).put("ssl_mode", mode);
    if (rootCert != null) {
      db.put("ssl_root_cert", rootCert.toString());
    }
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("metrics_registry", prefix))
        .put("kafka", new JsonObject().put("bootstrap_servers", TestEnvironment.kafkaBootstrapServers())
            .put("group_id", prefix + ".group").put("topic_prefix", prefix))
        .put("database", db);
  }

  /** The failure of a start that must fail; a start that succeeds fails the test. */
  private Future<Throwable> startFailure(JsonObject config) {
    return vertx.deployVerticle(MainVerticle.from(config)).transform(started -> started.succeeded()
        ? Future.failedFuture(new AssertionError("the adapter started: " + config.getJsonObject("database")))
        : Future.succeededFuture(started.cause()));
  }

  /** Writes through the real operation verticle; each reply must say success. */
  private Future<Void> persistRows() {
    List<Future<JsonObject>> replies = IntStream.range(0, ROWS)
        .mapToObj(i -> vertx.eventBus().<JsonObject>request(Addresses.PERSIST_BRIDGE_STATE,
            DirectRequests.bridgeState(i, "2026-11-24T10:15:30Z")).map(Message::body))
        .toList();
    return Future.all(replies).map(all -> {
      assertThat(replies).allSatisfy(reply -> assertThat(reply.result().getBoolean("success")).isTrue());
      return null;
    });
  }

  private interface Check {
    void run() throws Exception;
  }

  /** Runs checks that block (JDBC) on a worker thread; a failed assertion fails the future. */
  private Future<Void> checkedOnAWorker(Check check) {
    return vertx.executeBlocking(() -> {
      check.run();
      return null;
    });
  }

  /** pg_stat_ssl's flag for each open session of the adapter on this test's database. */
  private List<Boolean> adapterSessionsUseTls() {
    return query("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.application_name = '"
        + PgPools.APPLICATION_NAME + "' AND a.datname = '" + database + "'", rs -> rs.getBoolean(1));
  }

  private interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Column<T> column) {
    try (Connection connection = connect(database); Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(sql)) {
      List<T> values = new ArrayList<>();
      while (rs.next()) {
        values.add(column.read(rs));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void execute(String db, String sql) throws SQLException {
    try (Connection connection = connect(db); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The test's own sessions: unencrypted, and not named like the adapter's. */
  private static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(postgres.target().jdbcUrl(db) + "?sslmode=disable", "postgres", "");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
