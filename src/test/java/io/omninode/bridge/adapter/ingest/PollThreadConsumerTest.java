package io.omninode.bridge.adapter.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Vert.x's Kafka consumer runs its poll loop on {@link PollThreadConsumer}: every poll and every
 * rebalance it makes must reach the adapter's hooks. Were one bypassed (Vert.x calling another
 * {@code subscribe} or {@code poll}, say), these tests would fail.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Every poll and every rebalance of Vert.x's consumer goes through the poll thread's hooks")
class PollThreadConsumerTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

  private final IdleMockConsumer kafka = new IdleMockConsumer();
  private final PartitionLedger ledger = new PartitionLedger();
  private final PollThreadConsumer pollThread = new PollThreadConsumer(kafka, ledger, 1_000,
      new LagSampler(new AdapterMetrics(new SimpleMeterRegistry())));

  private void assignAndProduce(int records) {
    kafka.schedulePollTask(() -> {
      kafka.rebalance(List.of(P0));
      kafka.updateBeginningOffsets(Map.of(P0, 0L));
      for (int offset = 0; offset < records; offset++) {
        kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, null, "{}".getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  @Test
  @DisplayName("a rebalance reaches the ledger before Vert.x hears of it, and every batch handed over was stamped by a poll")
  void rebalancesAndPollsGoThroughTheHooks(Vertx vertx, VertxTestContext test) throws Throwable {
    KafkaConsumer<byte[], byte[]> consumer = KafkaConsumer.create(vertx, pollThread);
    List<List<String>> ownedWhenVertxHeard = new CopyOnWriteArrayList<>();
    List<Long> polls = new CopyOnWriteArrayList<>();
    consumer.partitionsAssignedHandler(partitions -> ownedWhenVertxHeard.add(ledger.owned()));
    consumer.batchHandler(batch -> polls.add(pollThread.pollOf(batch.records()).number()));
    consumer.exceptionHandler(test::failNow);

    consumer.subscribe(TOPIC).onComplete(test.succeedingThenComplete());
    assignAndProduce(5);

    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> !polls.isEmpty());
    assertThat(ownedWhenVertxHeard).first().isEqualTo(List.of(P0.toString()));
    assertThat(polls).allSatisfy(poll -> assertThat(poll).isPositive());
    assertThat(ledger.begin(P0, 0, polls.get(0), 2, 0)).as("fetched under the assignment the ledger knows").isNotNull();
    consumer.close();
  }

  @Test
  @DisplayName("records that no poll of its own returned are refused by name, never taken for another poll's")
  void recordsFromElsewhereAreRefused() {
    assertThatThrownBy(() -> pollThread.pollOf(new ConsumerRecords<>(Map.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bypassed");
  }

  @Test
  @DisplayName("stopping fetching pauses every assigned partition at the next poll; resuming lets them go")
  void stopAndResumeFetchingPauseAndResumeThePartitions(Vertx vertx) {
    KafkaConsumer<byte[], byte[]> consumer = KafkaConsumer.create(vertx, pollThread);
    consumer.batchHandler(batch -> pollThread.pollOf(batch.records()));
    consumer.subscribe(TOPIC);
    assignAndProduce(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.assignment().contains(P0));

    pollThread.stopFetching();
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.paused().contains(P0));
    pollThread.resumeFetching();
    await().atMost(Duration.ofSeconds(10)).until(() -> kafka.paused().isEmpty());
    consumer.close();
  }
}
