package io.omninode.bridge.adapter.it;

import io.micrometer.core.instrument.DistributionSummary;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.testsupport.DirectRequests;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The linger rules themselves are BatcherTest's; this is the same promise through the running adapter. */
@DisplayName("operations.linger_ms: a batch waits for more events before it is written")
class LingerIT {

  private static final int REQUESTS = 5;
  private static final int SPACING_MS = 100;

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    adapter.close();
  }

  @Test
  @DisplayName("control: without a linger, requests 100 ms apart are not all written by one statement")
  void withoutLingerSpacedRequestsAreSeparateStatements() throws Exception {
    DistributionSummary batches = sendSpacedRequests(0);

    assertThat(batches.count()).as("statements: the first request is written alone, before the second arrives "
        + "(later ones may share a statement when the earlier ones are slow)").isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("requests arriving within the linger become one statement; each still gets its own reply")
  void requestsWithinTheLingerShareOneStatement() throws Exception {
    DistributionSummary batches = sendSpacedRequests(900);

    assertThat(batches.count()).as("statements").isEqualTo(1);
    assertThat(batches.totalAmount()).as("events in them").isEqualTo(REQUESTS);
  }

  /** Five aggregations 100 ms apart through the event bus; the statements that wrote them. */
  private DistributionSummary sendSpacedRequests(int lingerMs) throws Exception {
    adapter = new AdapterFixture("linger");
    adapter.config.put("operations", new JsonObject().put("linger_ms", lingerMs));
    adapter.start();
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      replies.add(adapter.vertx.eventBus().request(Addresses.PERSIST_BRIDGE_STATE,
          DirectRequests.bridgeState(i, T0.toString())));
      Thread.sleep(SPACING_MS);
    }
    Future.all(replies).await(60, TimeUnit.SECONDS);

    assertThat(replies).allSatisfy(reply -> assertThat(reply.result().body().getInteger("rows_affected")).isEqualTo(1));
    assertThat(adapter.db.count("bridge_states")).isEqualTo(REQUESTS);
    return MetricsSetup.registry(adapter.topicPrefix).find("bridge.db.batch.size")
        .tag("operation", "persist_bridge_state").summary();
  }
}
