package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Several adapter processes in one consumer group and one Vert.x cluster")
class ClusterIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);
  private static final int PARTITIONS = 6;
  private static final int EVENTS = 100_000;
  private static final int SESSION_TIMEOUT_MS = 10_000;

  private final List<AdapterProcess> instances = new ArrayList<>();
  private AdapterFixture fixture;
  private List<Integer> hazelcastPorts;

  @AfterEach
  void close() throws Exception {
    for (AdapterProcess instance : instances) {
      instance.close();
    }
    fixture.close();
  }

  @Test
  @DisplayName("two instances share the partitions; one joining mid-stream makes no event lost or persisted twice")
  void twoInstancesShareThePartitions() throws Exception {
    cluster("cluster-share", 2);
    List<TestEvents.Event> events = TestEvents.mixedWorkload(EVENTS, 11);
    Map<String, Long> expected = Expected.rowCounts(events);

    AdapterProcess first = start(0);
    CompletableFuture<Void> stream = publishAtRate(events, 2_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> fixture.db.count("workflow_steps") > expected.get("workflow_steps") / 20);
    AdapterProcess second = start(1);
    boolean joinedMidStream = !stream.isDone();
    stream.get(2, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(2)).until(fixture.snapshots::counts, expected::equals);
    JsonObject firstStats = consumerStats(first);
    JsonObject secondStats = consumerStats(second);

    assertThat(joinedMidStream).as("the second instance joined while events were flowing").isTrue();
    assertThat(partitions(firstStats)).doesNotContainAnyElementsOf(partitions(secondStats));
    assertThat(union(firstStats, secondStats)).hasSize(9 * PARTITIONS);
    assertThat(secondStats.getLong("persisted")).as("the second instance took part").isPositive();
    assertThat(firstStats.getLong("persisted") + secondStats.getLong("persisted"))
        .as("each event persisted by exactly one instance, once, across the rebalance").isEqualTo(events.size());
    assertThat(fixture.snapshots.counts()).isEqualTo(expected);
    assertThat(fixture.topics.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("a third instance joins mid-stream, one is killed with SIGKILL: the survivors take over, every row exactly once")
  void joinThenKill() throws Exception {
    cluster("cluster-failover", 3);
    fixture.config.getJsonObject("kafka").getJsonObject("client")
        .put("session.timeout.ms", SESSION_TIMEOUT_MS).put("heartbeat.interval.ms", 1_000);
    List<TestEvents.Event> events = TestEvents.mixedWorkload(EVENTS, 13);
    Map<String, Long> expected = Expected.rowCounts(events);

    AdapterProcess first = start(0);
    AdapterProcess second = start(1);
    CompletableFuture<Void> stream = publishAtRate(events, 1_500);
    await().atMost(Duration.ofSeconds(60)).until(() -> fixture.db.count("workflow_steps") > expected.get("workflow_steps") / 20);
    AdapterProcess third = start(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> consumerStats(third).getLong("persisted") > 0
        && fixture.db.count("workflow_steps") > expected.get("workflow_steps") / 4);
    Set<String> orphaned = partitions(consumerStats(second));
    second.kill();
    long killedAt = System.nanoTime();
    boolean killedMidStream = !stream.isDone();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> union(consumerStats(first), consumerStats(third)).containsAll(orphaned));
    long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
    stream.get(2, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(2)).until(fixture.snapshots::counts, expected::equals);
    log.info("Killed an instance owning {} partitions; the survivors owned them {} ms later (session timeout {} ms)",
        orphaned.size(), takeoverMs, SESSION_TIMEOUT_MS);

    assertThat(killedMidStream).as("killed while events were flowing").isTrue();
    assertThat(consumerStats(third).getLong("persisted")).as("the instance that joined took part").isPositive();
    // a dead member is noticed after the session timeout; the rebalance that follows takes a heartbeat or two
    assertThat(takeoverMs).isLessThan(SESSION_TIMEOUT_MS + 5_000L);
    assertThat(union(consumerStats(first), consumerStats(third))).hasSize(9 * PARTITIONS);
    assertThat(fixture.snapshots.counts()).isEqualTo(expected);
    assertThat(fixture.topics.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("another clustered Vert.x process sends to an operation address and gets the instance's reply")
  void directRequestFromAnotherClusterMember() throws Exception {
    cluster("cluster-direct", 2);
    AdapterProcess adapter = start(0);
    ClusterSettings client = settings(1);
    Vertx caller = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(ClusterManagers.hazelcast(client))
        .buildClustered().await(60, TimeUnit.SECONDS);
    try {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> clusterView(adapter).getInteger("size"), size -> size == 2);
      String bridge = UUID.randomUUID().toString();
      JsonObject request = new JsonObject()
          .put("operation_type", "persist_bridge_state")
          .put("correlation_id", UUID.randomUUID().toString())
          .put("bridge_state_data", new JsonObject()
              .put("bridge_id", bridge)
              .put("namespace", "production")
              .put("total_workflows_processed", 7)
              .put("total_items_aggregated", 70)
              .put("current_fsm_state", "ACTIVE")
              .put("last_aggregation_timestamp", T0.toString()));

      JsonObject reply = caller.eventBus().<JsonObject>request(Addresses.PERSIST_BRIDGE_STATE, request)
          .await(60, TimeUnit.SECONDS).body();

      assertThat(reply.getBoolean("success")).isTrue();
      assertThat(reply.getString("correlation_id")).isEqualTo(request.getString("correlation_id"));
      assertThat(reply.getInteger("rows_affected")).isEqualTo(1);
      assertThat(fixture.db.queryLong("SELECT total_items_aggregated FROM bridge_states WHERE bridge_id = '" + bridge + "'"))
          .isEqualTo(70);
      assertThat(clusterView(adapter).getJsonArray("members")).hasSize(2);
    } finally {
      caller.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** A fixture with 6-partition topics and Hazelcast ports for {@code members} processes. */
  private void cluster(String name, int members) throws Exception {
    fixture = new AdapterFixture(name, PARTITIONS);
    hazelcastPorts = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      hazelcastPorts.add(Ports.free());
    }
  }

  private ClusterSettings settings(int member) {
    List<String> members = hazelcastPorts.stream().map(port -> "127.0.0.1:" + port).toList();
    return ClusterSettings.tcp(fixture.topicPrefix, members, "127.0.0.1", hazelcastPorts.get(member));
  }

  private AdapterProcess start(int member) throws Exception {
    ClusterSettings cluster = settings(member);
    AdapterProcess instance = fixture.startClusteredProcess(fixture.topicPrefix + "-" + member, new JsonObject()
        .put("name", cluster.name())
        .put("members", new JsonArray(cluster.members()))
        .put("host", cluster.host())
        .put("port", cluster.port()));
    instances.add(instance);
    return instance;
  }

  /** Publishes the events in order, about {@code perSecond} a second, in the background. */
  private CompletableFuture<Void> publishAtRate(List<TestEvents.Event> events, int perSecond) {
    int chunk = perSecond / 10;
    return CompletableFuture.runAsync(() -> {
      try {
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += chunk) {
          fixture.topics.produce(events.subList(from, Math.min(events.size(), from + chunk)));
          long due = start + (long) (from + chunk) * 1_000_000_000L / perSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static JsonObject consumerStats(AdapterProcess instance) throws Exception {
    return instance.readiness().getJsonObject("kafka_consumer");
  }

  private static JsonObject clusterView(AdapterProcess instance) throws Exception {
    return new JsonObject(instance.get("/health").body()).getJsonObject("checks").getJsonObject("cluster");
  }

  private static Set<String> partitions(JsonObject stats) {
    Set<String> partitions = new HashSet<>();
    stats.getJsonArray("partitions").forEach(partition -> partitions.add((String) partition));
    return partitions;
  }

  private static Set<String> union(JsonObject... stats) {
    Set<String> all = new HashSet<>();
    for (JsonObject one : stats) {
      all.addAll(partitions(one));
    }
    return all;
  }
}
