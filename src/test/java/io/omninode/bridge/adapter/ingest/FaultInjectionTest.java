package io.omninode.bridge.adapter.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.batching.OperationVerticle;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.operation.Operation;
import io.omninode.bridge.adapter.operation.PersistFsmTransition;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An exception thrown at one stage of an event's handling, one stage at a time, on the real consumer
 * verticle (Kafka's MockConsumer and MockProducer under it) and the real operation verticle on the
 * real PostgreSQL: the event is settled (durable or dead-lettered as a PROCESSING_ERROR), its
 * neighbours are written, the partition commits past it, and nothing escapes to Vert.x.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("An exception at any stage fails only its event: settled, and the partition commits past it")
class FaultInjectionTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.state-transition.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final String POISON = "explode";
  private static TestDatabase database;

  /** Where the exception is thrown, and what its dead letter says (null: counting never fails an event). */
  enum Stage {
    DECODE("injected at DECODE"), TO_ROW("injected at TO_ROW"), BATCHING("injected at BATCHING"),
    STATEMENT("injected at STATEMENT"), RESULT("reported 2 counts for 1 rows"), COUNTING(null), METRICS(null);

    final String letterSays;

    Stage(String letterSays) {
      this.letterSays = letterSays;
    }
  }

  @BeforeAll
  static void createDatabase() throws Exception {
    database = TestDatabase.migrated("faults");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.close();
  }

  @ParameterizedTest(name = "an exception at {0}")
  @EnumSource(Stage.class)
  void exceptionAtAnyStageFailsOnlyItsEvent(Stage stage, Vertx vertx, VertxTestContext test) throws Exception {
    List<Throwable> escaped = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(escaped::add);
    UUID entity = UUID.randomUUID();
    IdleMockConsumer kafka = new IdleMockConsumer();
    MockProducer<byte[], byte[]> deadLetters = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
    AdapterSettings settings = settings();
    AdapterMetrics metrics = new AdapterMetrics(new FailingMeterRegistry(stage));
    DatabaseBreaker breaker = new DatabaseBreaker(vertx, settings.resilience());
    ResultPath.registerCodecs(vertx.eventBus());

    kafka.schedulePollTask(() -> {
      kafka.rebalance(List.of(P0));
      kafka.updateBeginningOffsets(Map.of(P0, 0L));
      for (int offset = 0; offset < 3; offset++) {
        kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, null,
            transition(entity, offset == 1 ? POISON : "go-" + offset).encode().getBytes(StandardCharsets.UTF_8)));
      }
    });

    vertx.deployVerticle(new OperationVerticle<>(new Faulty<>(new PersistFsmTransition(), stage), settings, breaker, metrics))
        .compose(operation -> vertx.deployVerticle(new KafkaConsumerVerticle(settings, clients(kafka, deadLetters),
            new FaultyDecoder(settings, stage), breaker, metrics)))
        .compose(consumer -> vertx.executeBlocking(() -> { // Awaitility and JDBC block: on a worker thread
          await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committedOffset(P0) == 3);
          return transitionsOf(entity);
        }))
        .onComplete(test.succeeding(transitions -> test.verify(() -> {
          assertThat(transitions).as("its neighbours are written").containsAll(List.of("go-0", "go-2"));
          List<JsonObject> letters = deadLetters.history().stream().map(FaultInjectionTest::letter).toList();
          if (stage.letterSays != null) {
            assertThat(letters).singleElement().satisfies(letter -> {
              assertThat(letter.getString("error_type")).isEqualTo("PROCESSING_ERROR");
              assertThat(letter.getLong("original_offset")).isEqualTo(1);
              assertThat(letter.getString("error_message")).contains(stage.letterSays);
            });
          } else {
            assertThat(letters).as("counting never fails an event").isEmpty();
            assertThat(transitions).contains(POISON);
          }
          assertThat(breaker.state()).as("the adapter's own fault says nothing of the database")
              .isEqualTo(CircuitBreakerState.CLOSED);
          assertThat(escaped).as("nothing escaped to Vert.x").isEmpty();
          test.completeNow();
        })));
  }

  private static List<String> transitionsOf(UUID entity) throws Exception {
    return database.rows("SELECT transition_event FROM fsm_transitions WHERE entity_id = '" + entity + "'")
        .stream().map(row -> row.get("transition_event")).toList();
  }

  private static JsonObject transition(UUID entity, String event) {
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("event_type", "STATE_TRANSITION")
        .put("timestamp", "2026-11-24T10:00:00Z")
        .put("payload", new JsonObject().put("fsm_transition_data", new JsonObject()
            .put("entity_id", entity.toString()).put("entity_type", "workflow").put("from_state", "A")
            .put("to_state", "B").put("transition_event", event)));
  }

  private static JsonObject letter(ProducerRecord<byte[], byte[]> record) {
    return new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
  }

  private static AdapterSettings settings() throws Exception {
    PgTarget pg = TestEnvironment.postgres();
    JsonObject config = new JsonObject(Files.readString(Path.of("conf/config.json")));
    config.getJsonObject("kafka").put("commit_interval_ms", 50);
    config.put("database", new JsonObject().put("host", pg.host()).put("port", pg.port())
        .put("database", database.name()).put("user", pg.user()).put("password", pg.password()).put("pool_size", 2));
    config.put("resilience", new JsonObject().put("retry_initial_ms", 10).put("retry_max_ms", 20));
    return AdapterSettings.from(config, Map.of());
  }

  private static KafkaClients clients(IdleMockConsumer consumer, Producer<byte[], byte[]> producer) {
    return new KafkaClients() {
      @Override
      public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer() {
        return consumer;
      }

      @Override
      public Producer<byte[], byte[]> producer() {
        return producer;
      }

      @Override
      public Supplier<Future<Void>> ensureDeadLetterTopics(Vertx vertx, KafkaSettings settings,
          ResilienceSettings resilience) {
        return Future::succeededFuture;
      }
    };
  }

  private static RuntimeException injected(Stage stage) {
    return new IllegalStateException("injected at " + stage);
  }

  /** The real decoder, but for the poisoned record at {@link Stage#DECODE}. */
  private static final class FaultyDecoder extends EnvelopeDecoder {
    private final Stage stage;

    FaultyDecoder(AdapterSettings settings, Stage stage) {
      super(settings.validation());
      this.stage = stage;
    }

    @Override
    public Decoded decode(String topic, byte[] value, long recordTimestampMs) {
      if (stage == Stage.DECODE && new String(value, StandardCharsets.UTF_8).contains(POISON)) {
        throw injected(stage);
      }
      return super.decode(topic, value, recordTimestampMs);
    }
  }

  /** A row and whether it is the poisoned event's. */
  private record Marked<R>(R row, boolean poisoned) {
  }

  /** The real operation, throwing at its stage when the poisoned event is among its rows. */
  private record Faulty<R>(Operation<R> real, Stage stage) implements Operation<Marked<R>> {

    @Override
    public OperationType type() {
      return real.type();
    }

    @Override
    public Marked<R> toRow(OperationRequest request) {
      boolean poisoned = request.data().optionalString("transition_event", 100).equals(POISON);
      if (poisoned && stage == Stage.TO_ROW) {
        throw injected(stage);
      }
      return new Marked<>(real.toRow(request), poisoned);
    }

    @Override
    public Future<int[]> persist(Pool pool, List<Marked<R>> rows) {
      boolean poisoned = rows.stream().anyMatch(Marked::poisoned);
      if (poisoned && stage == Stage.BATCHING) {
        throw injected(stage);
      }
      if (poisoned && stage == Stage.STATEMENT) {
        return Future.failedFuture(new ClassCastException("injected at " + stage));
      }
      Future<int[]> written = real.persist(pool, rows.stream().map(Marked::row).toList());
      return poisoned && stage == Stage.RESULT ? written.map(counts -> new int[counts.length + 1]) : written;
    }
  }

  /** A registry whose counters ({@link Stage#COUNTING}) or timers ({@link Stage#METRICS}) throw. */
  private static final class FailingMeterRegistry extends SimpleMeterRegistry {
    private final Stage stage;

    FailingMeterRegistry(Stage stage) {
      this.stage = stage;
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
      if (stage != Stage.COUNTING) {
        return super.newCounter(id);
      }
      return new CumulativeCounter(id) {
        @Override
        public void increment(double amount) {
          throw injected(stage);
        }
      };
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      if (stage != Stage.METRICS) {
        return super.newTimer(id, config, pauseDetector);
      }
      return new CumulativeTimer(id, clock, config, pauseDetector, TimeUnit.SECONDS, false) {
        @Override
        protected void recordNonNegative(long amount, TimeUnit unit) {
          throw injected(stage);
        }
      };
    }
  }
}
