package io.omninode.bridge.adapter.batching;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.operation.PersistBridgeState;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.testsupport.DirectRequests;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operation verticle stopped while its statement waits on a table another session has locked, on
 * the real PostgreSQL: what it holds is answered, what arrives meanwhile is turned away, and its pool goes.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("An operation verticle's stop answers what it holds, turns new requests away, then lets go of the pool")
class OperationVerticleStopTest {

  private static final String AT = "2026-11-24T10:15:30Z";
  private static final int HELD = 3;
  private static TestDatabase database;
  private Connection lockHolder;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = TestDatabase.migrated("operation_stop");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.close();
  }

  /** A session of the test's own holds bridge_states: every statement of the verticle waits until it lets go. */
  @BeforeEach
  void lockTheTable() throws Exception {
    PgTarget pg = TestEnvironment.postgres();
    lockHolder = DriverManager.getConnection(pg.jdbcUrl(database.name()), pg.user(), pg.password());
    lockHolder.setAutoCommit(false);
    try (Statement statement = lockHolder.createStatement()) {
      statement.execute("LOCK TABLE bridge_states IN ACCESS EXCLUSIVE MODE");
    }
  }

  @AfterEach
  void releaseTheTable() throws Exception {
    lockHolder.close();
  }

  @Test
  @DisplayName("requests under way or queued behind a statement are written and answered; one that arrives during "
      + "the stop gets SHUTTING_DOWN at once; the stop ends after them, and the verticle's sessions are gone")
  void stopAnswersWhatItHolds(Vertx vertx, VertxTestContext test) {
    deploy(vertx, 30_000)
        .compose(id -> {
          List<Future<JsonObject>> held = IntStream.range(0, HELD).mapToObj(i -> request(vertx, i)).toList();
          return vertx.executeBlocking(OperationVerticleStopTest::awaitStatementWaitingOnTheLock)
              .compose(v -> stopAndProbe(vertx, id, OperationVerticleStopTest::turnedAway))
              .compose(stop -> {
                test.verify(() -> {
                  assertThat(stop.probe().result().getBoolean("success")).isFalse();
                  assertThat(stop.probe().result().getString("error_message")).contains("stopping");
                  assertThat(stop.stopped().isComplete()).as("the stop waits for the statement under way").isFalse();
                });
                return vertx.executeBlocking(this::releaseTheLock).compose(v -> stop.stopped());
              })
              .compose(v -> Future.all(held).map(all -> held.stream().map(Future::result).toList()));
        })
        .compose(replies -> vertx.executeBlocking(OperationVerticleStopTest::awaitNoSessionOfTheVerticle)
            .map(rows -> new Stopped(replies, rows)))
        .onComplete(test.succeeding(stopped -> test.verify(() -> {
          List<JsonObject> replies = stopped.replies();
          assertThat(replies).hasSize(HELD).allSatisfy(reply -> {
            assertThat(reply.getBoolean("success")).as(reply.encode()).isTrue();
            assertThat(reply.getInteger("rows_affected")).isEqualTo(1);
          });
          assertThat(stopped.rows()).as("the held requests, and probes queued before the stop")
              .isGreaterThanOrEqualTo(HELD);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a statement that does not end within request_timeout_ms holds the address no longer: it is given up")
  void stopGivesUpOnAStatementAfterTheRequestTimeout(Vertx vertx, VertxTestContext test) {
    deploy(vertx, 500)
        .compose(id -> {
          request(vertx, 0);
          return vertx.executeBlocking(OperationVerticleStopTest::awaitStatementWaitingOnTheLock)
              .compose(v -> stopAndProbe(vertx, id, OperationVerticleStopTest::noHandler));
        })
        .compose(stop -> {
          test.verify(() -> assertThat(stop.afterMs()).as("the address let go after request_timeout_ms, the table still locked")
              .isBetween(400L, 5_000L));
          // the pool's close waits for the statement stuck in PostgreSQL: the stop ends once it is let go
          return vertx.executeBlocking(this::releaseTheLock).compose(v -> stop.stopped());
        })
        .onComplete(test.succeedingThenComplete());
  }

  /** The replies to the held requests, and the rows in the table once the verticle is gone. */
  private record Stopped(List<JsonObject> replies, long rows) {
  }

  /** The undeployment under way, the probe that ended the probing, and how long after the undeploy it was answered. */
  private record Stop(Future<Void> stopped, AsyncResult<JsonObject> probe, long afterMs) {
  }

  /**
   * Undeploys, and sends a request every 10 ms until one's outcome is {@code wanted}: those sent before the
   * verticle knew it was stopping are queued behind the held ones, and answered with them.
   */
  private static Future<Stop> stopAndProbe(Vertx vertx, String deployment, Predicate<AsyncResult<JsonObject>> wanted) {
    long start = System.nanoTime();
    Future<Void> stopped = vertx.undeploy(deployment);
    Promise<Stop> found = Promise.promise();
    long probes = vertx.setPeriodic(10, tick -> request(vertx, 100).onComplete(outcome -> {
      if (wanted.test(outcome)) {
        found.tryComplete(new Stop(stopped, outcome, Duration.ofNanos(System.nanoTime() - start).toMillis()));
      }
    }));
    return found.future().andThen(done -> vertx.cancelTimer(probes));
  }

  private static boolean turnedAway(AsyncResult<JsonObject> outcome) {
    return outcome.succeeded() && "SHUTTING_DOWN".equals(outcome.result().getString("error_type"));
  }

  private static boolean noHandler(AsyncResult<JsonObject> outcome) {
    return outcome.failed() && outcome.cause() instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static Future<String> deploy(Vertx vertx, int requestTimeoutMs) {
    PgTarget pg = TestEnvironment.postgres();
    AdapterSettings settings = AdapterSettings.from(new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", "unused:9092"))
        .put("database", new JsonObject().put("host", pg.host()).put("port", pg.port()).put("database", database.name())
            .put("user", pg.user()).put("password", pg.password()).put("pool_size", 2))
        // one statement at a time, of one event: the first request waits on the lock, the others in the batcher
        // the breaker gives a statement a minute: only request_timeout_ms can give it up sooner
        .put("resilience", new JsonObject().put("breaker_call_timeout_ms", 60_000))
        .put("operations", new JsonObject().put("request_timeout_ms", requestTimeoutMs).put("max_batch_size", 1)
            .put("max_batches_in_flight", 1)), Map.of());
    DatabaseBreaker breaker = new DatabaseBreaker(vertx, settings.resilience());
    return vertx.deployVerticle(new OperationVerticle<>(new PersistBridgeState(), settings, breaker,
        new AdapterMetrics(new SimpleMeterRegistry())));
  }

  private static Future<JsonObject> request(Vertx vertx, int i) {
    return vertx.eventBus().<JsonObject>request(Addresses.PERSIST_BRIDGE_STATE, DirectRequests.bridgeState(i, AT))
        .map(Message::body);
  }

  // JDBC and Awaitility block: these run on a worker thread (executeBlocking), never on the event loop

  private Void releaseTheLock() throws Exception {
    lockHolder.commit();
    return null;
  }

  private static Boolean awaitStatementWaitingOnTheLock() {
    await().atMost(Duration.ofSeconds(10)).until(() -> verticleSessions("NOT l.granted") > 0);
    return true;
  }

  /** The rows in bridge_states, once no session of the verticle is left. */
  private static long awaitNoSessionOfTheVerticle() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> verticleSessions("true") == 0);
    return database.count("bridge_states");
  }

  /** Sessions of the verticle's pool on the test database that hold or wait for a lock matching {@code condition}. */
  private static long verticleSessions(String condition) throws Exception {
    return database.queryLong("SELECT count(DISTINCT a.pid) FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid"
        + " WHERE a.application_name = '" + PgPools.APPLICATION_NAME + "' AND a.datname = '" + database.name()
        + "' AND " + condition);
  }
}
