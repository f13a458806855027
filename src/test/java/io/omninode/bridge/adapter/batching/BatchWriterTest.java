package io.omninode.bridge.adapter.batching;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.operation.Operation;
import io.omninode.bridge.adapter.operation.PersistFsmTransition;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch writer on the real PostgreSQL, which refuses some transitions by a rule of the site's own. */
@ExtendWith(VertxExtension.class)
@DisplayName("A batch PostgreSQL refuses for a value is cut in halves until only the refused events fail")
class BatchWriterTest {

  /** A value PostgreSQL refuses (permanent, SQLSTATE class 22), and one it answers as if overloaded (transient, 53). */
  private static final String SITE_RULES = """
      CREATE FUNCTION site_rules() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.transition_event = 'refused' THEN
          RAISE EXCEPTION 'refused by a rule of the site' USING ERRCODE = '22023';
        END IF;
        IF NEW.transition_event = 'busy' THEN
          RAISE EXCEPTION 'out of connections' USING ERRCODE = '53300';
        END IF;
        RETURN NEW;
      END $$""";
  private static final String SITE_TRIGGER =
      "CREATE TRIGGER site_rules BEFORE INSERT ON fsm_transitions FOR EACH ROW EXECUTE FUNCTION site_rules()";
  private static final String TRANSITIONS_OF = "SELECT transition_event FROM fsm_transitions WHERE entity_id = $1";
  private static final String OPERATION = OperationType.PERSIST_FSM_TRANSITION.wireName();

  private static TestDatabase database;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UUID entity = UUID.randomUUID();
  private DatabaseBreaker breaker;
  private Pool pool;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = TestDatabase.migrated("batch_writer");
    database.execute(SITE_RULES);
    database.execute(SITE_TRIGGER);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void connect(Vertx vertx) {
    breaker = new DatabaseBreaker(vertx, new ResilienceSettings(1, 60_000, 10_000, 10, 20, 1_000));
    pool = database.pool(vertx);
  }

  @Test
  @DisplayName("of eight transitions one refused: it alone fails, as a DATA_ERROR; the seven are written, in seven statements")
  void refusedValueFailsOnlyItsEvent(VertxTestContext test) {
    write("go-0", "go-1", "go-2", "go-3", "go-4", "refused", "go-6", "go-7").onComplete(test.succeeding(written ->
        test.verify(() -> {
          assertThat(written.results()).extracting(OperationResult::correlationId)
              .as("one result per request, in order").containsExactlyElementsOf(written.requested());
          assertThat(written.results()).extracting(OperationResult::errorType).containsExactly(
              null, null, null, null, null, ErrorType.DATA_ERROR, null, null);
          assertThat(written.results().get(5).errorMessage()).contains("22023", "refused by a rule of the site");
          assertThat(written.results()).filteredOn(OperationResult::success).extracting(OperationResult::rowsAffected)
              .containsOnly(1).hasSize(7);
          assertThat(written.rows()).containsExactlyInAnyOrder("go-0", "go-1", "go-2", "go-3", "go-4", "go-6", "go-7");
          // halves: [0,8) refused, [0,4) written, [4,8) refused, [4,6) refused, [4,5) written, [5,6) refused, [6,8) written
          assertThat(statements("success")).as("statements written").isEqualTo(3);
          assertThat(statements("data_error")).as("statements refused").isEqualTo(4);
          assertThat(breaker.state()).as("a refused value says nothing of the database")
              .isEqualTo(CircuitBreakerState.CLOSED);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("two refused among five, at both ends: both fail, the three between them are written")
  void everyRefusedValueIsFound(VertxTestContext test) {
    write("refused", "go-1", "go-2", "go-3", "refused").onComplete(test.succeeding(written -> test.verify(() -> {
      assertThat(written.results()).extracting(OperationResult::errorType)
          .containsExactly(ErrorType.DATA_ERROR, null, null, null, ErrorType.DATA_ERROR);
      assertThat(written.rows()).containsExactlyInAnyOrder("go-1", "go-2", "go-3");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a transient refusal is not bisected: the whole batch fails with it in one statement, to be tried again")
  void transientFailureIsNotBisected(VertxTestContext test) {
    write("go-0", "go-1", "busy", "go-3").onComplete(test.succeeding(written -> test.verify(() -> {
      assertThat(written.results()).extracting(OperationResult::errorType)
          .containsOnly(ErrorType.DATABASE_UNAVAILABLE).hasSize(4);
      assertThat(written.rows()).isEmpty();
      assertThat(statements("database_unavailable")).isEqualTo(1);
      assertThat(statements("success")).isZero();
      assertThat(breaker.state()).as("the database's trouble counts: one failure opens this breaker")
          .isEqualTo(CircuitBreakerState.OPEN);
      test.completeNow();
    })));
  }

  /** The correlation ids of the requests, their results, and the test entity's transitions in the table afterwards. */
  private record Written(List<UUID> requested, List<OperationResult> results, List<String> rows) {
  }

  /** One batch of transitions of the test's entity, named by {@code events}, written by a new writer. */
  private Future<Written> write(String... events) {
    return write(new PersistFsmTransition(), events);
  }

  private <R> Future<Written> write(Operation<R> operation, String... events) {
    List<OperationVerticle.Pending<R>> batch = IntStream.range(0, events.length).mapToObj(i -> {
      OperationRequest request = Envelopes.fromRequest(operation.type(), new JsonObject()
          .put("correlation_id", UUID.randomUUID().toString()).put("event_id", UUID.randomUUID().toString())
          .put("timestamp", "2026-11-24T10:00:0" + i + "Z")
          .put("fsm_transition_data", new JsonObject().put("entity_id", entity.toString()).put("entity_type", "workflow")
              .put("from_state", "A").put("to_state", "B").put("transition_event", events[i])),
          ValidationSettings.DEFAULTS);
      return new OperationVerticle.Pending<>(operation.toRow(request), request, null, System.nanoTime());
    }).toList();
    List<UUID> requested = batch.stream().map(pending -> pending.request().correlationId()).toList();
    return new BatchWriter<>(operation, pool, breaker, new AdapterMetrics(registry)).write(batch)
        .compose(results -> pool.preparedQuery(TRANSITIONS_OF).execute(Tuple.of(entity))
            .map(rows -> new Written(requested, results, StreamSupport.stream(rows.spliterator(), false)
                .map(row -> row.getString(0)).toList())));
  }

  private long statements(String outcome) {
    Timer timer = registry.find("bridge.db.operation.duration").tags("operation", OPERATION, "outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }
}
