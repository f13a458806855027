package io.omninode.bridge.adapter.it;

import io.micrometer.core.instrument.DistributionSummary;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.operation.Addresses;
import io.omninode.bridge.adapter.testsupport.DirectRequests;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.omninode.bridge.adapter.it.AdapterFixture.await;
import static io.omninode.bridge.adapter.it.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("operations.linger_ms: a batch waits for more events before it is written")
class LingerIT {

  private static final int LINGER_MS = 500;

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    adapter.close();
  }

  @Test
  @DisplayName("requests arriving within the linger become one statement; each still gets its own reply")
  void requestsWithinTheLingerShareOneStatement() throws Exception {
    adapter = new AdapterFixture("linger");
    adapter.config.put("operations", new JsonObject().put("linger_ms", LINGER_MS));
    adapter.start();

    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) { // 40 ms apart: without the linger, each would be a statement of its own
      replies.add(adapter.vertx.eventBus().request(Addresses.PERSIST_BRIDGE_STATE,
          DirectRequests.bridgeState(i, T0.toString())));
      Thread.sleep(40);
    }
    await(Future.all(replies));

    assertThat(replies).allSatisfy(reply -> assertThat(reply.result().body().getInteger("rows_affected")).isEqualTo(1));
    DistributionSummary batches = MetricsSetup.registry(adapter.topicPrefix).find("bridge.db.batch.size")
        .tag("operation", "persist_bridge_state").summary();
    assertThat(batches.count()).as("statements").isEqualTo(1);
    assertThat(batches.totalAmount()).as("events in them").isEqualTo(5);
    assertThat(adapter.count("bridge_states")).isEqualTo(5);
  }
}
