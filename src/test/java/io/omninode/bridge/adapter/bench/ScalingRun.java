package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.Workload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The same drain by 1, 2 or 3 clustered instances in one consumer group ({@code --scaling}). */
final class ScalingRun {

  private final Benchmark.Options options;
  private final BenchInfra infra;

  ScalingRun(Benchmark.Options options, BenchInfra infra) {
    this.options = options;
    this.infra = infra;
  }

  /**
   * N pre-loaded events drained by {@code instances} clustered adapters in one group. Instances
   * come up one after another and rebalance meanwhile, so the rate is taken over a window: from the
   * moment every instance owns partitions until 95 % of the events are durable.
   */
  JsonObject run(int instances) throws Exception {
    long events = options.events();
    String prefix = "bench.scale" + instances + "." + System.currentTimeMillis();
    int partitions = options.partitions();
    Workload workload = new Workload(options.workflows(), 100 + instances, options.mix());
    BenchInfra.recreateDatabase(BenchRun.DATABASE);
    infra.createTopics(prefix, partitions);
    try (LoadGenerator generator = new LoadGenerator(options.bootstrap(), LoadGenerator.BULK_LINGER_MS)) {
      generator.produce(workload, prefix, events, 0);
    }
    List<Integer> hazelcastPorts = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      hazelcastPorts.add(Ports.free());
    }
    String members = String.join(",", hazelcastPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    List<AdapterProcess> adapters = new ArrayList<>();
    JsonObject result = new JsonObject().put("instances", instances).put("events", events);
    try {
      for (int i = 0; i < instances; i++) {
        AdapterProcess.Launch launch = options.launch("adapter-scale" + instances + "-" + i, prefix, options.jar());
        Map<String, String> env = new HashMap<>(launch.environment());
        env.putAll(Map.of("BRIDGE_CLUSTER_NAME", prefix, "BRIDGE_CLUSTER_MEMBERS", members,
            "BRIDGE_CLUSTER_HOST", "127.0.0.1", "BRIDGE_CLUSTER_PORT", String.valueOf(hazelcastPorts.get(i))));
        adapters.add(AdapterProcess.start(launch.environment(env).arguments(List.of("-cluster"))));
      }
      int total = KafkaSettings.defaultTopics(prefix).size() * partitions;
      long started = System.nanoTime();
      long settledAt = 0;
      long doneAtSettle = 0;
      long windowEnd = 0;
      long doneAtWindowEnd = 0;
      while (true) {
        List<JsonObject> consumers = adapters.stream().map(AdapterProcess::consumer).toList();
        long done = consumers.stream().mapToLong(c -> c.getLong("persisted", 0L) + c.getLong("dead_lettered", 0L)).sum();
        boolean settled = consumers.stream().allMatch(c -> c.getInteger("assigned_partitions", 0) > 0)
            && consumers.stream().mapToInt(c -> c.getInteger("assigned_partitions", 0)).sum() == total;
        if (settledAt == 0 && settled) {
          settledAt = System.nanoTime();
          doneAtSettle = done;
        }
        // the window ends at 95 %: the last partitions to finish run on fewer instances than the rest
        if (settledAt != 0 && windowEnd == 0 && done >= events * 95 / 100) {
          windowEnd = System.nanoTime();
          doneAtWindowEnd = done;
        }
        if (done >= events && windowEnd != 0) {
          double seconds = (windowEnd - settledAt) / 1e9;
          boolean measured = doneAtSettle < events / 2;
          result.put("events_in_window", doneAtWindowEnd - doneAtSettle)
              // fewer than half the events left once all instances own partitions: not a scaling measurement
              .put("drain_events_per_s", measured ? Math.round((doneAtWindowEnd - doneAtSettle) / seconds) : null)
              .put("settled_after_s", Math.round((settledAt - started) / 1e8) / 10.0)
              .put("per_instance_persisted", new JsonArray(consumers.stream().map(c -> c.getLong("persisted", 0L)).toList()))
              .put("rss_peak_mb", new JsonArray(adapters.stream().map(a -> a.peakRssKb() / 1024).toList()));
          break;
        }
        if (adapters.stream().anyMatch(adapter -> !adapter.isAlive())
            || TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started) > 30) {
          throw new IllegalStateException("an instance stopped or the drain took over 30 minutes; done=" + done);
        }
        Thread.sleep(100);
      }
    } finally {
      for (AdapterProcess adapter : adapters) {
        adapter.close();
      }
    }
    Map<String, Long> expected = workload.expectedRows();
    Map<String, Long> actual = BenchInfra.rowCounts(BenchRun.DATABASE);
    infra.deleteTopics(prefix);
    return result.put("rows_as_expected", expected.equals(actual));
  }
}
