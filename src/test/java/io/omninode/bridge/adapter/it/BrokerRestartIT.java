package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.EmbeddedKafkaBroker;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
    Map<String, Long> whileDown = new HashMap<>();

    FaultSkeleton fault = new FaultSkeleton(adapter);

    Map<String, Long> expected = fault.assertEveryEventOnceAfter(events, () -> {
      adapter.topics.produce(events);
      adapter.start();
      fault.awaitUnderWay();
      broker.stop();
      whileDown.putAll(adapter.snapshots.counts());
      Thread.sleep(3_000); // the consumer loses its coordinator and its fetches fail meanwhile
      broker.start();
    });

    assertThat(whileDown.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(adapter.ingestStats().getLong("dead_lettered")).isZero();
  }
}
