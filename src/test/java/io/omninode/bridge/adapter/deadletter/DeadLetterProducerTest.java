package io.omninode.bridge.adapter.deadletter;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The producer on Kafka's {@code MockProducer}, whose sends the test completes or fails one by one. */
@ExtendWith(VertxExtension.class)
@DisplayName("A dead letter the broker refuses for good is replaced by a fallback, never retried forever")
class DeadLetterProducerTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final DeadLetter LETTER = new DeadLetter(ErrorType.VALIDATION_ERROR, "value: is too large",
      new JsonObject().put("field", "value"), 0);
  /** Retries after a few milliseconds (a timer needs at least one): the test waits for sends, not for time. */
  private static final ResilienceSettings FAST_RETRIES = new ResilienceSettings(5, 30_000, 10_000, 2, 4, 30_000);

  private Vertx vertx;
  private final MockProducer<byte[], byte[]> kafka =
      new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void vertx(Vertx vertx) {
    this.vertx = vertx;
  }

  private DeadLetterProducer producer(JsonObject client) {
    JsonObject config = new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", "broker:9092").put("client", client))
        .put("database", new JsonObject().put("database", "bridge_db").put("user", "bridge_user"));
    KafkaSettings settings = AdapterSettings.from(config, Map.of()).kafka();
    return new DeadLetterProducer(vertx, settings, FAST_RETRIES, kafka, new AdapterMetrics(registry));
  }

  private static ConsumerRecord<byte[], byte[]> original(int size) {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("trace", new byte[] {1, 2, 3})));
    byte[] value = "z".repeat(size).getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(TOPIC, 2, 41L, 1_764_000_000_000L, TimestampType.CREATE_TIME, 0, value.length,
        "key-41".getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty());
  }

  /** Waits for the next send and fails it. */
  private void failSend(int number, RuntimeException failure) {
    await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() >= number);
    assertThat(kafka.errorNext(failure)).isTrue();
  }

  private void completeSend(int number) {
    await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() >= number);
    assertThat(kafka.completeNext()).isTrue();
  }

  private ProducerRecord<byte[], byte[]> sent(int index) {
    return kafka.history().get(index);
  }

  private static boolean isCut(ProducerRecord<byte[], byte[]> record) {
    return record.headers().lastHeader(DeadLetter.HEADER_ORIGINAL_TRUNCATED) != null;
  }

  private double failures(String reason, String letter) {
    Counter counter = registry.find("bridge.dead.letter.write.failures").tags("reason", reason, "letter", letter)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("RecordTooLargeException: one fallback letter, written; counted once; no retry of the refused letter")
  void recordTooLargeWritesTheFallback(VertxTestContext test) {
    Future<Boolean> written = producer(new JsonObject()).sendUntilWritten(original(200_000), LETTER, () -> true);

    failSend(1, new RecordTooLargeException("larger than the topic's max.message.bytes"));
    completeSend(2);

    written.onComplete(test.succeeding(outcome -> test.verify(() -> {
      assertThat(outcome).isTrue();
      assertThat(kafka.history()).hasSize(2);
      assertThat(isCut(sent(0))).as("the letter fitted max.request.size").isFalse();
      ProducerRecord<byte[], byte[]> fallback = sent(1);
      JsonObject value = new JsonObject(new String(fallback.value(), StandardCharsets.UTF_8));
      assertThat(fallback.topic()).isEqualTo(TOPIC + ".dlq");
      assertThat(isCut(fallback)).isTrue();
      assertThat(value.getString("original_message")).hasSize(LetterRecord.FALLBACK_MESSAGE_BYTES);
      assertThat(value.getLong("original_size_bytes")).isEqualTo(200_000);
      assertThat(value.getString("original_sha256")).hasSize(64);
      assertThat(failures("RecordTooLargeException", "letter")).isEqualTo(1);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a letter larger than kafka.client's max.request.size is cut before it is sent")
  void letterIsCutToTheConfiguredLimit(VertxTestContext test) {
    Future<Boolean> written = producer(new JsonObject().put("max.request.size", 100_000))
        .sendUntilWritten(original(300_000), LETTER, () -> true);

    completeSend(1);

    written.onComplete(test.succeeding(outcome -> test.verify(() -> {
      assertThat(outcome).isTrue();
      assertThat(isCut(sent(0))).isTrue();
      assertThat(sent(0).value().length).isBetween(90_000, 100_000);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a retriable error retries the same letter, as before, and counts no refusal")
  void retriableErrorRetriesTheLetter(VertxTestContext test) {
    Future<Boolean> written = producer(new JsonObject()).sendUntilWritten(original(2_000), LETTER, () -> true);

    failSend(1, new TimeoutException("topic not present in metadata"));
    failSend(2, new TimeoutException("topic not present in metadata"));
    completeSend(3);

    written.onComplete(test.succeeding(outcome -> test.verify(() -> {
      assertThat(outcome).isTrue();
      assertThat(kafka.history()).hasSize(3).allSatisfy(record -> assertThat(record.value()).isEqualTo(sent(0).value()));
      assertThat(registry.find("bridge.dead.letter.write.failures").counters()).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a refused fallback is retried with backoff while the event is wanted: the partition holds, counted")
  void refusedFallbackHoldsThePartition(VertxTestContext test) {
    AtomicBoolean wanted = new AtomicBoolean(true);
    Future<Boolean> written = producer(new JsonObject()).sendUntilWritten(original(200_000), LETTER, wanted::get);

    failSend(1, new TopicAuthorizationException(Set.of(TOPIC + ".dlq")));
    for (int fallback = 2; fallback <= 4; fallback++) {
      failSend(fallback, new TopicAuthorizationException(Set.of(TOPIC + ".dlq")));
    }
    await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 5);
    wanted.set(false);
    failSend(5, new TopicAuthorizationException(Set.of(TOPIC + ".dlq")));

    written.onComplete(test.succeeding(outcome -> test.verify(() -> {
      assertThat(outcome).isFalse();
      assertThat(kafka.history().subList(1, 5)).allSatisfy(record -> assertThat(record.value()).isEqualTo(sent(1).value()));
      assertThat(isCut(sent(1))).isTrue();
      assertThat(failures("TopicAuthorizationException", "letter")).isEqualTo(1);
      assertThat(failures("TopicAuthorizationException", "fallback")).isEqualTo(3);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a refusal outside the known ones is counted as other")
  void unknownRefusalIsOther(VertxTestContext test) {
    Future<Boolean> written = producer(new JsonObject()).sendUntilWritten(original(2_000), LETTER, () -> true);

    failSend(1, new IllegalStateException("something else"));
    completeSend(2);

    written.onComplete(test.succeeding(outcome -> test.verify(() -> {
      assertThat(outcome).isTrue();
      assertThat(failures("other", "letter")).isEqualTo(1);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a fallback refused again and again logs an ERROR on its first attempt and every tenth, not on each")
  void refusedFallbackLogsSparingly(VertxTestContext test) {
    Logger logger = (Logger) LoggerFactory.getLogger(DeadLetterProducer.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      AtomicBoolean wanted = new AtomicBoolean(true);
      Future<Boolean> written = producer(new JsonObject()).sendUntilWritten(original(200_000), LETTER, wanted::get);
      for (int send = 1; send <= 13; send++) {
        failSend(send, new RecordTooLargeException("larger than the topic's max.message.bytes"));
      }
      await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 14);
      wanted.set(false);
      failSend(14, new RecordTooLargeException("larger than the topic's max.message.bytes"));

      written.onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(outcome).isFalse();
        assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().startsWith("Fallback dead letter refused"))
            .extracting(line -> line.getKeyValuePairs().stream().filter(pair -> pair.key.equals("attempt"))
                .map(pair -> pair.value).findFirst().orElseThrow())
            .containsExactly(1, 11);
        assertThat(failures("RecordTooLargeException", "fallback")).isEqualTo(12);
        test.completeNow();
      })));
    } finally {
      logger.detachAppender(lines);
    }
  }
}
