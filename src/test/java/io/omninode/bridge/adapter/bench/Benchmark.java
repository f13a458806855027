package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.Workload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark: per run, a fresh database and fresh topics; (1) drain N pre-loaded events and time
 * it, (2) publish at a fixed rate and read event latency and statement time from the adapter's
 * histograms, (3) watch the adapter's resident memory, (4) time PostgreSQL alone taking the same
 * rows with COPY, (5) count rows against what the generator produced. Prints medians of the runs
 * and writes {@code target/bench/result.json}. Then (6) the same drain with 1, 2 and 3 clustered
 * instances in one consumer group ({@code --scaling 1,2,3}, or {@code none}). Options: --events
 * --rate --seconds --runs --heap --jvm --partitions --workflows --scaling --bootstrap --jar --config.
 */
public final class Benchmark {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String DATABASE = "bench_db";
  private static final String CEILING_DATABASE = "bench_ceiling";

  private final Map<String, String> options;
  private final String bootstrap;

  private Benchmark(Map<String, String> options) {
    this.options = options;
    this.bootstrap = options.getOrDefault("bootstrap", "localhost:9092");
  }

  public static void main(String[] args) throws Exception {
    new Benchmark(LoadGenerator.options(args)).run();
    System.exit(0);
  }

  private void run() throws Exception {
    int runs = intOption("runs", 3);
    List<JsonObject> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      JsonObject result = runOnce(run);
      results.add(result);
      System.out.println("run " + run + ": " + result.encode());
    }
    JsonObject summary = median(results).put("runs", new JsonArray(results)).put("machine", machine());
    JsonArray scaling = new JsonArray();
    for (String instances : options.getOrDefault("scaling", "1,2,3").split(",")) {
      if (!instances.isBlank() && !"none".equals(instances.trim())) {
        JsonObject result = scalingRun(Integer.parseInt(instances.trim()));
        scaling.add(result);
        System.out.println("scaling: " + result.encode());
      }
    }
    summary.put("scaling", scaling);
    Path out = Files.createDirectories(Path.of("target", "bench")).resolve("result.json");
    Files.writeString(out, summary.encodePrettily());
    print(summary);
    System.out.println("written: " + out);
  }

  /**
   * N pre-loaded events drained by {@code instances} clustered adapters in one group. Instances
   * come up one after another and rebalance meanwhile, so the rate is taken over a window: from the
   * moment every instance owns partitions until 95 % of the events are durable.
   */
  private JsonObject scalingRun(int instances) throws Exception {
    long events = longOption("events", 1_000_000);
    String prefix = "bench.scale" + instances + "." + System.currentTimeMillis();
    int partitions = intOption("partitions", 6);
    Workload workload = new Workload(intOption("workflows", 500), 100 + instances);
    preload(workload, prefix, events);
    List<Integer> hazelcastPorts = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      hazelcastPorts.add(Ports.free());
    }
    String members = String.join(",", hazelcastPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    List<AdapterProcess> adapters = new ArrayList<>();
    JsonObject result = new JsonObject().put("instances", instances).put("events", events);
    try {
      for (int i = 0; i < instances; i++) {
        adapters.add(startAdapter(prefix, "adapter-scale" + instances + "-" + i, Map.of("BRIDGE_CLUSTER_NAME", prefix,
            "BRIDGE_CLUSTER_MEMBERS", members, "BRIDGE_CLUSTER_HOST", "127.0.0.1",
            "BRIDGE_CLUSTER_PORT", String.valueOf(hazelcastPorts.get(i))), List.of("-cluster")));
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
            || LoadGenerator.elapsedMs(started) > TimeUnit.MINUTES.toMillis(30)) {
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
    Map<String, Long> actual = rowCounts(DATABASE);
    deleteTopics(prefix);
    return result.put("rows_as_expected", expected.equals(actual));
  }

  private JsonObject runOnce(int run) throws Exception {
    long events = longOption("events", 1_000_000);
    String prefix = "bench.r" + run + "." + System.currentTimeMillis();
    Workload workload = new Workload(intOption("workflows", 500), run);
    long loadStart = System.nanoTime();
    preload(workload, prefix, events);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

    JsonObject result = new JsonObject().put("run", run).put("events", events)
        .put("preload_events_per_s", Math.round(events / loadSeconds));
    try (AdapterProcess adapter = startAdapter(prefix, "adapter-run" + run, Map.of(), List.of())) {
      drain(adapter, events, result);
      latency(adapter, workload, prefix, events, result);
      result.put("rss_peak_mb", adapter.peakRssKb() / 1024).put("rss_final_mb", adapter.rssKb() / 1024)
          .put("heap", options.getOrDefault("heap", "160m")).put("jvm", String.join(" ", adapterJvm()));
    }
    Map<String, Long> expected = workload.expectedRows();
    Map<String, Long> actual = rowCounts(DATABASE);
    long lost = 0;
    long duplicated = 0;
    for (Map.Entry<String, Long> table : expected.entrySet()) {
      long difference = actual.get(table.getKey()) - table.getValue();
      lost += Math.max(0, -difference);
      duplicated += Math.max(0, difference);
    }
    recreateDatabase(CEILING_DATABASE);
    try (Connection connection = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/" + CEILING_DATABASE, "postgres", "")) {
      applySchema(connection);
      result.put("ceiling_rows_per_s", Math.round(Ceiling.rowsPerSecond(connection, expected)));
    }
    deleteTopics(prefix);
    return result.put("expected_rows", new JsonObject(Map.copyOf(expected))).put("rows", new JsonObject(Map.copyOf(actual)))
        .put("lost", lost).put("duplicated", duplicated);
  }

  /** A fresh database and fresh topics, then {@code events} events of the workload in them, as fast as they go. */
  private void preload(Workload workload, String prefix, long events) throws Exception {
    recreateDatabase(DATABASE);
    createTopics(prefix, intOption("partitions", 6));
    try (LoadGenerator generator = new LoadGenerator(bootstrap)) {
      generator.produce(workload, prefix, events, 0);
    }
  }

  /** The fat jar on the run's topics and database, logging to {@code target/bench/<name>.log}. */
  private AdapterProcess startAdapter(String prefix, String name, Map<String, String> environment,
      List<String> arguments) throws Exception {
    Map<String, String> env = new HashMap<>(environment);
    env.put("BRIDGE_KAFKA_TOPIC_PREFIX", prefix);
    env.put("BRIDGE_KAFKA_GROUP_ID", prefix + ".group");
    env.put("BRIDGE_DATABASE_DATABASE", DATABASE);
    JsonObject config = new JsonObject(Files.readString(Path.of(options.getOrDefault("config", "conf/config.json"))));
    return AdapterProcess.start(AdapterProcess.Launch.of(name, config).environment(env).jvm(adapterJvm())
        .arguments(arguments).in(Path.of("target", "bench")).jar(Path.of(options.getOrDefault("jar", AdapterProcess.JAR.toString()))));
  }

  /** A run's topics (and their dead-letter topics) go with it: the broker does not accumulate partitions. */
  private void deleteTopics(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(topic -> topic.startsWith(prefix + ".")).toList();
      admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** From the first event consumed to the last one durable. */
  private void drain(AdapterProcess adapter, long events, JsonObject result) throws Exception {
    long started = System.nanoTime();
    long firstConsumed = 0;
    while (true) {
      JsonObject consumer = adapter.consumer();
      long done = consumer.getLong("persisted", 0L) + consumer.getLong("dead_lettered", 0L);
      if (firstConsumed == 0 && consumer.getLong("consumed", 0L) > 0) {
        firstConsumed = System.nanoTime();
      }
      if (done >= events) {
        break;
      }
      if (!adapter.isAlive() || LoadGenerator.elapsedMs(started) > TimeUnit.MINUTES.toMillis(30)) {
        throw new IllegalStateException("the adapter stopped or did not drain in 30 minutes; done=" + done);
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - firstConsumed) / 1e9;
    result.put("drain_seconds", Math.round(seconds * 10) / 10.0)
        .put("drain_events_per_s", Math.round(events / seconds))
        .put("startup_to_drained_s", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
  }

  /** A fixed rate for a while; percentiles from what the histograms recorded meanwhile. */
  private void latency(AdapterProcess adapter, Workload workload, String prefix, long drained, JsonObject result)
      throws Exception {
    int rate = intOption("rate", 5_000);
    long events = (long) rate * intOption("seconds", 60);
    String before = adapter.get("/metrics").body();
    try (LoadGenerator generator = new LoadGenerator(bootstrap)) {
      generator.produce(workload, prefix, events, rate);
    }
    while (adapter.consumer().getLong("persisted", 0L) + adapter.consumer().getLong("dead_lettered", 0L)
        < drained + events) {
      Thread.sleep(100);
    }
    String after = adapter.get("/metrics").body();
    TreeMap<Double, Double> latencyBefore = PromText.buckets(before, "bridge_event_latency_seconds", "");
    TreeMap<Double, Double> latencyAfter = PromText.buckets(after, "bridge_event_latency_seconds", "");
    TreeMap<Double, Double> dbBefore = PromText.buckets(before, "bridge_db_operation_duration_seconds", "success");
    TreeMap<Double, Double> dbAfter = PromText.buckets(after, "bridge_db_operation_duration_seconds", "success");
    result.put("latency_rate_per_s", rate)
        .put("latency_p50_ms", round(PromText.percentileMs(latencyBefore, latencyAfter, 0.50)))
        .put("latency_p95_ms", round(PromText.percentileMs(latencyBefore, latencyAfter, 0.95)))
        .put("latency_p99_ms", round(PromText.percentileMs(latencyBefore, latencyAfter, 0.99)))
        .put("db_op_p95_ms", round(PromText.percentileMs(dbBefore, dbAfter, 0.95)));
  }

  private void createTopics(String prefix, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // every topic the adapter subscribes to, including those the workload does not write
      List<String> topics = KafkaSettings.defaultTopics(prefix);
      admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList())
          .all().get(60, TimeUnit.SECONDS);
      // a new partition refuses writes until its leader is known everywhere; producing earlier only causes retries
      long deadline = System.currentTimeMillis() + 30_000;
      while (!admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .flatMap(description -> description.partitions().stream()).allMatch(partition -> partition.leader() != null)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  private static void recreateDatabase(String name) throws Exception {
    try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
         Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + name + " OWNER bridge_user");
    }
  }

  private static void applySchema(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement()) {
      for (String migration : List.of("V1__seed_schema.sql", "V2__query_indexes.sql")) {
        statement.execute(new String(Benchmark.class.getResourceAsStream("/db/migration/" + migration).readAllBytes()));
      }
    }
  }

  private static Map<String, Long> rowCounts(String database) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database,
        "postgres", ""); Statement statement = connection.createStatement()) {
      for (String table : List.of("workflow_executions", "workflow_steps", "metadata_stamps", "fsm_transitions",
          "bridge_states", "node_registrations")) {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  private static JsonObject median(List<JsonObject> runs) {
    JsonObject median = new JsonObject();
    for (String key : List.of("drain_events_per_s", "ceiling_rows_per_s", "latency_p50_ms", "latency_p95_ms",
        "latency_p99_ms", "db_op_p95_ms", "rss_peak_mb", "rss_final_mb", "events", "lost", "duplicated")) {
      List<Double> values = runs.stream().map(run -> ((Number) run.getValue(key)).doubleValue()).sorted().toList();
      median.put(key, values.get(values.size() / 2));
    }
    return median.put("drain_to_ceiling_ratio",
        round(median.getDouble("drain_events_per_s") / median.getDouble("ceiling_rows_per_s")));
  }

  private static JsonObject machine() throws Exception {
    String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
    String postgres;
    try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
         ResultSet rs = connection.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      postgres = rs.getString(1);
    }
    return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("memory_mb", Long.parseLong(memory) / 1024).put("java", System.getProperty("java.version"))
        .put("postgresql", postgres).put("kafka", AppInfoParser.getVersion())
        .put("note", "Kafka, PostgreSQL and the adapter share this machine; absolute numbers are noisy, "
            + "read drain_to_ceiling_ratio");
  }

  private static void print(JsonObject summary) {
    System.out.println();
    System.out.println("bridge-db-adapter benchmark (median of " + summary.getJsonArray("runs").size() + " runs; "
        + "shared machine: absolute numbers are noisy, the ratio to the ceiling less so)");
    System.out.printf("%-34s %14s%n", "figure", "value");
    for (String key : List.of("events", "drain_events_per_s", "ceiling_rows_per_s", "drain_to_ceiling_ratio",
        "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "db_op_p95_ms", "rss_peak_mb", "rss_final_mb", "lost",
        "duplicated")) {
      System.out.printf("%-34s %14s%n", key, summary.getValue(key));
    }
    JsonArray scaling = summary.getJsonArray("scaling");
    if (!scaling.isEmpty()) {
      Double single = scaling.getJsonObject(0).getDouble("drain_events_per_s");
      System.out.println();
      System.out.printf("%-10s %16s %10s %14s%n", "instances", "drain events/s", "speed-up", "rows as expected");
      for (Object entry : scaling) {
        JsonObject run = (JsonObject) entry;
        Double rate = run.getDouble("drain_events_per_s");
        System.out.printf("%-10s %16s %10s %14s%n", run.getInteger("instances"),
            rate == null ? "n/a" : String.valueOf(Math.round(rate)),
            rate == null || single == null ? "n/a" : String.format("%.2f", rate / single), run.getBoolean("rows_as_expected"));
      }
      if (scaling.stream().anyMatch(run -> ((JsonObject) run).getValue("drain_events_per_s") == null)) {
        System.out.println("n/a: most events were drained before every instance owned partitions; raise --events");
      }
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** The adapter's JVM: a fixed heap ({@code --heap}), the serial collector, then {@code --jvm "<more flags>"}. */
  private List<String> adapterJvm() {
    String heap = options.getOrDefault("heap", "160m");
    List<String> flags = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseSerialGC"));
    String more = options.getOrDefault("jvm", "").trim();
    if (!more.isEmpty()) {
      flags.addAll(List.of(more.split("\\s+")));
    }
    return flags;
  }

  private int intOption(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
  }

  private long longOption(String name, long fallback) {
    return Long.parseLong(options.getOrDefault(name, String.valueOf(fallback)));
  }
}
