package io.omninode.bridge.adapter.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer verticle on Kafka's {@code MockConsumer} under the Vert.x consumer; the operations are the test's. */
@ExtendWith(VertxExtension.class)
@DisplayName("The Kafka consumer verticle pauses, parks and commits as promised")
class KafkaConsumerVerticleTest {

  private static final String TOPIC = "dev.omninode-bridge.reducer.state-aggregation-completed.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final int RETRY_MAX_MS = 20;

  private Vertx vertx;
  private final IdleMockConsumer kafka = new IdleMockConsumer();
  private final ConcurrentLinkedQueue<Message<Object>> held = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private DatabaseBreaker breaker;

  /** VertxExtension closes it after the test. */
  @BeforeEach
  void vertx(Vertx vertx) {
    this.vertx = vertx;
  }

  private void start(JsonObject kafkaSettings, JsonObject resilience, List<TopicPartition> assignment) throws Exception {
    JsonObject config = new JsonObject(Files.readString(Path.of("conf/config.json")));
    config.getJsonObject("kafka").mergeIn(kafkaSettings.put("commit_interval_ms", 50));
    config.put("resilience", resilience);
    AdapterSettings settings = AdapterSettings.from(config, Map.of());
    ResultPath.registerCodecs(vertx.eventBus());
    breaker = new DatabaseBreaker(vertx, settings.resilience());
    vertx.eventBus().<Object>consumer(Addresses.PERSIST_BRIDGE_STATE, message -> {
      requests.incrementAndGet();
      held.add(message);
    });
    KafkaClients clients = new KafkaClients() {
      @Override
      public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer() {
        return kafka;
      }

      @Override
      public Producer<byte[], byte[]> producer() {
        return new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
      }

      @Override
      public Supplier<Future<Void>> ensureDeadLetterTopics(Vertx vertx, KafkaSettings settings,
          ResilienceSettings resilience) {
        return Future::succeededFuture;
      }
    };
    kafka.schedulePollTask(() -> {
      kafka.rebalance(assignment);
      assignment.forEach(partition -> kafka.updateBeginningOffsets(Map.of(partition, 0L)));
    });
    // the test drives the mock consumer step by step from its own thread: it waits with Vert.x's Future.await
    vertx.deployVerticle(new KafkaConsumerVerticle(settings, clients, breaker, new AdapterMetrics(new SimpleMeterRegistry())))
        .await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.assignment().containsAll(assignment));
  }

  private void produce(TopicPartition partition, int from, int to) {
    kafka.schedulePollTask(() -> {
      for (int offset = from; offset < to; offset++) {
        kafka.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
            "key".getBytes(StandardCharsets.UTF_8), aggregation(offset).encode().getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  private static JsonObject aggregation(int n) {
    return new JsonObject().put("event_id", UUID.randomUUID().toString())
        .put("event_type", "STATE_AGGREGATION_COMPLETED").put("timestamp", "2026-11-24T10:00:00Z")
        .put("payload", new JsonObject().put("bridge_state_data", new JsonObject()
            .put("bridge_id", UUID.randomUUID().toString()).put("namespace", "test")
            .put("total_workflows_processed", n).put("total_items_aggregated", n).put("current_fsm_state", "ACTIVE")));
  }

  /** Answers the held requests: written, or refused for a transient reason. */
  private void reply(int count, ErrorType error) {
    for (int i = 0; i < count; i++) {
      ResultPath.answer(List.of(held.poll()), List.of(error == null
          ? OperationResult.persisted(OperationType.PERSIST_BRIDGE_STATE, null, 1, 1)
          : OperationResult.failed(OperationType.PERSIST_BRIDGE_STATE, null, 1, error, "database away")));
    }
  }

  private JsonObject stats() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.INGEST_STATS, null).await(30, TimeUnit.SECONDS).body();
  }

  /**
   * Waits until the consumer has polled {@code polls} more times (and so long that a retry on a timer
   * would have been sent), then says how many records every poll has returned so far.
   */
  private long fetchedAfterPolls(int polls, long atLeastMs) {
    long from = kafka.polls();
    long start = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.polls() >= from + polls
        && System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(atLeastMs));
    return kafka.fetched();
  }

  private void openTheBreaker() throws Exception {
    breaker.execute(() -> Future.failedFuture(new IllegalStateException("database away"))).otherwiseEmpty()
        .await(30, TimeUnit.SECONDS);
  }

  /** The poll thread is parked inside the rebalance the test scheduled: in the consumer's revocation callback. */
  private static boolean waitsInsideTheRebalance(Thread thread) {
    return thread != null && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
        && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("rebalance")
            && frame.getClassName().equals(MockConsumer.class.getName()));
  }

  private long committed(TopicPartition partition) {
    return kafka.committedOffset(partition);
  }

  @Test
  @DisplayName("at max_in_flight it stops fetching; at half the limit it fetches again; every offset ends committed")
  void pausesAtMaxInFlightAndResumesAtHalf() throws Exception {
    kafka.setMaxPollRecords(5);
    start(new JsonObject().put("max_in_flight", 10), new JsonObject(), List.of(P0));
    produce(P0, 0, 30);

    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 10);
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.paused().contains(P0));
    assertThat(stats().getBoolean("paused")).isTrue();
    assertThat(stats().getInteger("in_flight")).isEqualTo(10);
    assertThat(fetchedAfterPolls(3, 0)).as("nothing more fetched while paused, three polls on").isEqualTo(10);
    assertThat(requests.get()).isEqualTo(10);

    reply(4, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> stats().getInteger("in_flight") == 6);
    assertThat(fetchedAfterPolls(3, 0)).as("6 in flight is still above half the limit").isEqualTo(10);
    assertThat(kafka.paused()).contains(P0);
    reply(1, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > 10);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      reply(held.size(), null);
      assertThat(committed(P0)).isEqualTo(30);
    });
    assertThat(stats().getLong("persisted")).isEqualTo(30);
  }

  @Test
  @DisplayName("at max_in_flight_bytes it stops fetching, however few the events; at half the bytes it fetches again")
  void pausesAtMaxInFlightBytes() throws Exception {
    kafka.setMaxPollRecords(2);
    int recordBytes = "key".length() + aggregation(0).encode().length();
    start(new JsonObject().put("max_in_flight_bytes", 10 * recordBytes), new JsonObject(), List.of(P0));
    produce(P0, 0, 30);

    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.paused().contains(P0));
    int fetched = requests.get();
    assertThat(fetched).as("paused at ten records' bytes, far below max_in_flight").isBetween(10, 11);
    assertThat(stats().getLong("in_flight_bytes")).isGreaterThanOrEqualTo(10L * recordBytes);

    reply(fetched - 5, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > fetched);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      reply(held.size(), null);
      assertThat(committed(P0)).isEqualTo(30);
    });
    assertThat(stats().getLong("in_flight_bytes")).isZero();
  }

  @Test
  @DisplayName("a partition that cannot commit past a record for stuck_partition_ms, the database up, is named stuck; one waiting on an open breaker is not")
  void partitionHeldByOneRecordIsNamedStuck() throws Exception {
    start(new JsonObject().put("stuck_partition_ms", 1_000), new JsonObject().put("breaker_max_failures", 1)
        .put("breaker_reset_timeout_ms", 60_000), List.of(P0, P1));
    produce(P0, 0, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(stats().getJsonArray("stuck_partitions").getList()).containsExactly(P0.toString()));
    assertThat(stats().getJsonObject("oldest_uncommitted_ms").getLong(P0.toString())).isGreaterThan(1_000);
    assertThat(stats().getJsonObject("oldest_uncommitted_ms").containsKey(P1.toString())).as("nothing read there").isFalse();

    openTheBreaker();
    assertThat(stats().getJsonArray("stuck_partitions").getList()).as("waiting for the database is not stuck").isEmpty();
  }

  @Test
  @DisplayName("while the breaker is open, failed events are parked (not retried) and fetching stops; at half-open they go again")
  void parksWhileTheBreakerIsOpen() throws Exception {
    start(new JsonObject(), new JsonObject().put("breaker_max_failures", 1).put("breaker_reset_timeout_ms", 1_500)
        .put("retry_initial_ms", 10).put("retry_max_ms", RETRY_MAX_MS), List.of(P0));
    produce(P0, 0, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);

    openTheBreaker();
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    reply(3, ErrorType.CIRCUIT_OPEN);
    await().atMost(Duration.ofSeconds(5)).until(() -> kafka.paused().contains(P0));
    produce(P0, 3, 6);
    assertThat(fetchedAfterPolls(3, 2 * RETRY_MAX_MS)).as("nothing new fetched, three polls on").isEqualTo(3);
    assertThat(requests.get()).as("parked: not retried on a timer, twice retry_max_ms on").isEqualTo(3);
    assertThat(stats().getLong("breaker_opened")).isEqualTo(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> requests.get() > 3);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      reply(held.size(), null);
      assertThat(committed(P0)).isEqualTo(6);
    });
    assertThat(stats().getLong("dead_lettered")).isZero();
  }

  @Test
  @DisplayName("a revoked partition's events in flight are awaited on the poll thread and their offsets committed before it moves")
  void commitsDurableOffsetsOnRevocation() throws Exception {
    start(new JsonObject().put("revocation_drain_ms", 10_000), new JsonObject(), List.of(P0, P1));
    produce(P0, 0, 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 4);

    AtomicBoolean moved = new AtomicBoolean();
    AtomicReference<Thread> pollThread = new AtomicReference<>();
    kafka.schedulePollTask(() -> {
      pollThread.set(Thread.currentThread());
      kafka.rebalance(List.of(P1));
      moved.set(true);
    });
    await().atMost(Duration.ofSeconds(10))
        .until(() -> stats().getJsonArray("partitions").getList().equals(List.of(P1.toString())));
    await().atMost(Duration.ofSeconds(10)).until(() -> waitsInsideTheRebalance(pollThread.get()));
    assertThat(moved).as("the revocation waits on the poll thread for the events in flight").isFalse();

    assertThat(kafka.syncCommits).isEmpty();

    reply(4, null);
    await().atMost(Duration.ofSeconds(10)).untilTrue(moved);
    assertThat(kafka.syncCommits).as("committed synchronously, in the revocation, before the partition moved")
        .containsExactly(Map.of(P0, new OffsetAndMetadata(4)));
    assertThat(stats().getJsonArray("partitions").getList()).containsExactly(P1.toString());
  }
}
