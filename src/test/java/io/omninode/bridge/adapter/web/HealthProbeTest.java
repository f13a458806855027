package io.omninode.bridge.adapter.web;

import io.micrometer.core.instrument.Timer;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /health} and {@code /health/ready} against the real PostgreSQL: however many requests
 * arrive, the database is asked at most once a second, and never through the circuit breaker.
 */
@DisplayName("Health asks the database at most once a second, outside the circuit breaker")
class HealthProbeTest {

  private static final int REQUESTS = 200;

  /** A database of the test's own, with no session but the adapter's: its counters are the probe's alone. */
  private String database;
  private WebFixture web;

  @BeforeEach
  void createDatabase() throws Exception {
    database = TestEnvironment.createDatabase("health_probe");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (web != null) {
      web.close();
    }
    TestEnvironment.dropDatabase(database);
  }

  private static DatabaseSettings settings(String database) {
    PgTarget pg = TestEnvironment.postgres();
    return new DatabaseSettings(pg.host(), pg.port(), database, pg.user(), pg.password(), null, 4, 256, 0, false,
        "disable", null);
  }

  @Test
  @DisplayName("200 concurrent /health and 200 concurrent /health/ready requests cost the database one query a second")
  void concurrentRequestsShareOneProbe() throws Exception {
    DatabaseCounters before = DatabaseCounters.of(database);
    web = WebFixture.start(settings(database));

    long started = System.nanoTime();
    List<WebFixture.Response> health = new ArrayList<>();
    List<WebFixture.Response> ready = new ArrayList<>();
    burst(health, ready);
    double seconds = (System.nanoTime() - started) / 1e9;
    long poolUses = poolUses();
    web.close();
    web = null;
    long probeQueries = probeQueriesSince(before);

    // once a second while the requests last: the first, and one more for each second they took
    long atMost = 1 + (long) seconds;
    assertThat(poolUses).as("statements run on the pool (requests took %.2f s)", seconds).isBetween(1L, atMost);
    assertThat(probeQueries).as("statements PostgreSQL committed (requests took %.2f s)", seconds)
        .isBetween(1L, atMost);
    assertThat(health).allSatisfy(response -> {
      JsonObject check = response.json().getJsonObject("checks").getJsonObject("database");
      assertThat(check.getString("status")).isEqualTo(HealthProcedures.HEALTHY);
      assertThat(check.getString("version")).startsWith("PostgreSQL");
      assertThat(check.getJsonObject("pool").fieldNames()).containsExactlyInAnyOrder("size", "in_use", "waiting");
    });
    assertThat(ready).allSatisfy(response -> assertThat(response.json().getString("database")).isEqualTo("UP"));
  }

  @Test
  @DisplayName("a probe that fails leaves a breaker that one failure would open closed, and reports why")
  void failingProbeLeavesTheBreakerClosed() throws Exception {
    web = WebFixture.start(settings(database + "_missing"));

    List<WebFixture.Response> health = new ArrayList<>();
    List<WebFixture.Response> ready = new ArrayList<>();
    burst(health, ready);

    assertThat(health).allSatisfy(response -> {
      assertThat(response.status()).isEqualTo(503);
      JsonObject checks = response.json().getJsonObject("checks");
      assertThat(checks.getJsonObject("database").getString("status")).isEqualTo(HealthProcedures.UNHEALTHY);
      assertThat(checks.getJsonObject("database").getString("error")).contains("does not exist");
      assertThat(checks.getJsonObject("circuit_breaker").getString("state")).isEqualTo("CLOSED");
    });
    assertThat(ready).allSatisfy(response -> {
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.json().getString("database")).startsWith("DOWN: ").contains("does not exist");
      assertThat(response.json().getString("circuit_breaker")).isEqualTo("CLOSED");
    });
    assertThat(web.breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  @DisplayName("with the breaker open, health still asks the database and reports it up")
  void openBreakerDoesNotStopTheProbe() throws Exception {
    web = WebFixture.start(settings(database));
    web.breaker.execute(() -> Future.failedFuture(new PgException("connection lost", "FATAL", "08006", null)))
        .otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertThat(web.breaker.state()).isEqualTo(CircuitBreakerState.OPEN);

    JsonObject health = web.get("/health").json();
    WebFixture.Response ready = web.get("/health/ready");

    assertThat(health.getJsonObject("checks").getJsonObject("database").getString("status"))
        .isEqualTo(HealthProcedures.HEALTHY);
    assertThat(health.getJsonObject("checks").getJsonObject("circuit_breaker").getString("state")).isEqualTo("OPEN");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getString("database")).isEqualTo("UP");
    assertThat(ready.json().getString("circuit_breaker")).isEqualTo("OPEN");
  }

  @Test
  @DisplayName("an answer is reused for a second at most: readiness follows the database going away and coming back")
  void answersFollowTheDatabase() throws Exception {
    web = WebFixture.start(settings(database));
    assertThat(web.get("/health/ready").json().getString("database")).isEqualTo("UP");

    try {
      TestEnvironment.executeOnServer("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      TestEnvironment.executeOnServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
          + database + "'");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(web.get("/health/ready").json().getString("database")).startsWith("DOWN: "));
    } finally {
      TestEnvironment.executeOnServer("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(web.get("/health/ready").json().getString("database")).isEqualTo("UP"));
  }

  /** {@value #REQUESTS} of each endpoint at once; their responses once all have come. */
  private void burst(List<WebFixture.Response> health, List<WebFixture.Response> ready) throws Exception {
    List<Future<WebFixture.Response>> healthRequests = new ArrayList<>();
    List<Future<WebFixture.Response>> readyRequests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      healthRequests.add(web.send("GET", "/health"));
      readyRequests.add(web.send("GET", "/health/ready"));
    }
    Future.all(healthRequests).await(60, TimeUnit.SECONDS);
    Future.all(readyRequests).await(60, TimeUnit.SECONDS);
    healthRequests.forEach(response -> health.add(response.result()));
    readyRequests.forEach(response -> ready.add(response.result()));
  }

  /** Times a connection of the shared pool was taken for a statement, by Vert.x's own pool metrics. */
  private long poolUses() {
    Timer usage = MetricsSetup.registry(web.registryName()).find("vertx.pool.usage")
        .tag("pool_name", PgPools.SHARED_POOL_NAME).timer();
    return usage == null ? 0 : usage.count();
  }

  /**
   * Statements PostgreSQL committed in the test's database since {@code before}, once the adapter's
   * sessions have ended (a session flushes its counts when it ends; PostgreSQL 14's statistics
   * collector takes them a moment later). Each session's start commits one transaction of its own:
   * those are taken off.
   */
  private long probeQueriesSince(DatabaseCounters before) {
    await().atMost(Duration.ofSeconds(30)).until(() -> DatabaseCounters.adapterSessions(database) == 0);
    return await().atMost(Duration.ofSeconds(30)).until(() -> {
      DatabaseCounters after = DatabaseCounters.of(database);
      return (after.commits - before.commits) - (after.sessions - before.sessions);
    }, committed -> committed > 0);
  }

  /** pg_stat_database's counts of one database, read from another so that reading them adds none. */
  private record DatabaseCounters(long commits, long sessions) {

    static DatabaseCounters of(String database) throws SQLException {
      try (Connection connection = serverConnection();
           PreparedStatement statement = connection.prepareStatement(
               "SELECT xact_commit, sessions FROM pg_stat_database WHERE datname = ?")) {
        statement.setString(1, database);
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? new DatabaseCounters(rs.getLong(1), rs.getLong(2)) : new DatabaseCounters(0, 0);
        }
      }
    }

    static long adapterSessions(String database) throws SQLException {
      try (Connection connection = serverConnection();
           PreparedStatement statement = connection.prepareStatement(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
        statement.setString(1, database);
        statement.setString(2, PgPools.APPLICATION_NAME);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    private static Connection serverConnection() throws SQLException {
      PgTarget pg = TestEnvironment.postgres();
      return DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
    }
  }
}
