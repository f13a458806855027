package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs on a broker of its own (in process, whatever the environment) because it stops and starts it. */
@DisplayName("A broker restarted mid-stream on the same data")
class BrokerRestartIT {

  private EmbeddedKafkaBroker broker;
  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    try {
      adapter.close();
    } finally {
      broker.close();
    }
  }

  @Test
  @DisplayName("leaves every event persisted exactly once")
  void brokerRestartLosesAndDuplicatesNothing() throws Exception {
    broker = new EmbeddedKafkaBroker().start();
    adapter = new AdapterFixture("broker_restart", broker.bootstrapServers());
    List<TestEvents.Event> events = TestEvents.mixedWorkload(20_000, 13);
    Map<String, Long> expected = Expected.rowCounts(events);
    adapter.produce(events);
    adapter.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.count("workflow_steps") > 500);

    broker.stop();
    Map<String, Long> whileDown = adapter.counts();
    Thread.sleep(3_000); // the consumer loses its coordinator and its fetches fail meanwhile
    broker.start();

    await().atMost(Duration.ofMinutes(3)).until(adapter::counts, expected::equals);
    assertThat(whileDown.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(adapter.counts()).isEqualTo(expected);
    assertThat(adapter.ingestStats().getLong("dead_lettered")).isZero();
  }
}
