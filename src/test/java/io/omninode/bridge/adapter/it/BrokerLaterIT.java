package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.EmbeddedKafkaBroker;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adapter as a process, started before its broker: runs on a broker of its own, started
 * later on the port the adapter was told.
 */
@DisplayName("An adapter started before its broker")
class BrokerLaterIT {

  private static final int SIGTERM_EXIT = 128 + 15;

  private int brokerPort;
  private String bootstrapServers;
  private EmbeddedKafkaBroker broker;
  private AdapterFixture fixture;
  private AdapterProcess adapter;

  @AfterEach
  void close() throws Exception {
    try (AdapterFixture closedSecond = fixture; AdapterProcess closedFirst = adapter) {
      // resources close in reverse order: the process, then the fixture (null ones are skipped)
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  @DisplayName("waits unready with /health naming the broker, then persists every event exactly once once it answers")
  void waitsForTheBrokerThenPersistsEveryEventOnce() throws Exception {
    startBeforeBroker("broker_later");
    awaitWaitingForTheBroker();
    assertThat(adapter.get("/health/ready").statusCode()).isEqualTo(503);

    broker = new EmbeddedKafkaBroker(brokerPort).start();
    fixture.topics.create();
    List<TestEvents.Event> events = TestEvents.mixedWorkload(2_000, 31);
    Map<String, Long> expected = Expected.rowCounts(events);
    fixture.topics.produce(events);

    await().atMost(Duration.ofMinutes(3)).until(fixture.snapshots::counts, expected::equals);
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.get("/health/ready").statusCode() == 200);
    JsonObject consumer = adapter.readiness().getJsonObject("kafka_consumer");
    assertThat(consumer.getLong("consumed")).as("each event consumed once").isEqualTo(events.size());
    assertThat(consumer.getLong("persisted")).as("each event persisted once").isEqualTo(events.size());
    assertThat(fixture.snapshots.counts()).isEqualTo(expected);
    assertThat(fixture.topics.deadLetters()).isEmpty();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> health = adapter.get("/health");
      JsonObject kafkaConsumer = new JsonObject(health.body()).getJsonObject("checks").getJsonObject("kafka_consumer");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(kafkaConsumer.getString("status")).isEqualTo("HEALTHY");
      assertThat(kafkaConsumer.containsKey("error")).isFalse();
    });
    List<JsonObject> lines = adapter.logLines();
    assertThat(lines).filteredOn(line -> "Dead-letter topics ready".equals(line.getString("message")))
        .singleElement().satisfies(line -> assertThat(line.getJsonArray("created")).hasSize(9));
    assertThat(lines).filteredOn(line -> line.getString("message").startsWith("Dead-letter topics not checked yet"))
        .as("one warning while the broker is away, not one per retry").hasSizeLessThanOrEqualTo(1);
  }

  @Test
  @DisplayName("stops cleanly on SIGTERM while it waits for the broker")
  void sigtermWhileWaitingIsACleanStop() throws Exception {
    startBeforeBroker("broker_never");
    awaitWaitingForTheBroker();

    int exitCode = adapter.terminate(Duration.ofSeconds(30));
    List<JsonObject> lines = adapter.logLines();
    List<JsonObject> stopping = lines.subList(
        lines.indexOf(lines.stream().filter(line -> "Shutting down".equals(line.getString("message"))).findFirst()
            .orElseThrow()), lines.size());

    assertThat(exitCode).isEqualTo(SIGTERM_EXIT);
    assertThat(lines).noneMatch(line -> "ERROR".equals(line.getString("level")));
    assertThat(adapter.output()).doesNotContain("Unhandled exception", "Promise already completed");
    assertThat(stopping).extracting(line -> line.getString("message"))
        .contains("Shut down cleanly")
        .noneMatch(message -> message.contains("TimeoutException") || message.toLowerCase().contains("dead-letter"));
  }

  private void startBeforeBroker(String name) throws Exception {
    brokerPort = Ports.free();
    bootstrapServers = "127.0.0.1:" + brokerPort;
    fixture = AdapterFixture.beforeBroker(name, bootstrapServers);
    JsonObject config = fixture.config.copy();
    config.getJsonObject("http").put("port", Ports.free());
    adapter = AdapterProcess.launch(name, config, Map.of(), List.of());
    adapter.awaitServing();
  }

  /** Up and deployed, not ready, and /health names the broker as the failing check. */
  private void awaitWaitingForTheBroker() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> health = adapter.get("/health");
      JsonObject body = new JsonObject(health.body());
      JsonObject kafkaConsumer = body.getJsonObject("checks").getJsonObject("kafka_consumer");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(body.getString("status")).isEqualTo("UNHEALTHY");
      assertThat(kafkaConsumer.getString("status")).isEqualTo("UNHEALTHY");
      assertThat(kafkaConsumer.getString("error")).isEqualTo("broker unreachable at " + bootstrapServers);
      assertThat(kafkaConsumer.getInteger("assigned_partitions")).isZero();
    });
  }
}
