package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.store.Migrations;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.ProcStat;
import io.omninode.bridge.adapter.testsupport.Workload;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One run of one build: a fresh database and fresh topics; (1) N pre-loaded events drained, with the
 * CPU the adapter and PostgreSQL spent on them; (2) per rate, events published at that rate as whole
 * workflows close together by a producer that does not linger (as the bridge nodes publish), with
 * event latency, statement time and the stages of an event's life read from the adapter's
 * histograms, and CPU again; (3) the adapter's resident memory; (4) PostgreSQL alone taking the same
 * rows by COPY (the ceiling); (5) row counts against what the generator produced.
 */
final class BenchRun {

  static final String DATABASE = "bench_db";
  private static final String CEILING_DATABASE = "bench_ceiling";
  /** The backends serving the benchmark's database (other databases on the server are not its cost). */
  private static final String POSTGRES_BACKENDS = " " + DATABASE + " ";
  /** The local broker ({@code scripts/run-local.sh}): its main class on its command line. */
  private static final String BROKER = " kafka.Kafka ";
  private static final List<String> STAGES = List.of("fetch", "dispatch", "queue", "statement", "reply");

  private final Benchmark.Options options;
  private final BenchInfra infra;

  BenchRun(Benchmark.Options options, BenchInfra infra) {
    this.options = options;
    this.infra = infra;
  }

  JsonObject run(int run, Path jar) throws Exception {
    String prefix = "bench.r" + run + "." + System.currentTimeMillis();
    Workload workload = new Workload(options.workflows(), run, options.mix());
    BenchInfra.recreateDatabase(DATABASE);
    infra.createTopics(prefix, options.partitions());
    long loadStart = System.nanoTime();
    try (LoadGenerator generator = new LoadGenerator(options.bootstrap(), LoadGenerator.BULK_LINGER_MS)) {
      generator.produce(workload, prefix, options.events(), 0);
    }
    JsonObject result = new JsonObject().put("run", run).put("jar", jar.toString()).put("events", options.events())
        .put("preload_events_per_s", Math.round(options.events() / seconds(loadStart)));
    long written;
    String name = "adapter-run" + run + (jar.equals(options.jar()) ? "" : "-other");
    try (AdapterProcess adapter = AdapterProcess.start(options.launch(name, prefix, jar))) {
      drain(adapter, options.events(), result);
      written = options.events();
      for (int rate : options.rates()) {
        workload.concurrency(options.latencyWorkflows());
        written += latency(adapter, workload, prefix, rate, written, result);
      }
      result.put("rss_peak_mb", adapter.peakRssKb() / 1024).put("rss_final_mb", adapter.rssKb() / 1024)
          .put("jvm", String.join(" ", options.jvm()));
    }
    checkRows(workload.expectedRows(), result);
    infra.deleteTopics(prefix);
    return result;
  }

  private static String lastLine(String output) {
    String trimmed = output.strip();
    return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
  }

  /** From the first event consumed to the last one durable. */
  private void drain(AdapterProcess adapter, long events, JsonObject result) throws Exception {
    long started = System.nanoTime();
    Cpu cpu = null;
    long firstConsumed = 0;
    while (done(adapter) < events) {
      if (cpu == null && adapter.consumer().getLong("consumed", 0L) > 0) {
        firstConsumed = System.nanoTime();
        cpu = new Cpu(adapter);
      }
      if (!adapter.isAlive()) {
        throw new IllegalStateException("the adapter exited while draining: " + lastLine(adapter.output()));
      }
      if (TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started) > 30) {
        throw new IllegalStateException("the adapter did not drain in 30 minutes: " + adapter.consumer());
      }
      Thread.sleep(50);
    }
    double seconds = seconds(firstConsumed);
    result.put("drain_seconds", round(seconds)).put("drain_events_per_s", Math.round(events / seconds))
        .put("startup_to_drained_s", round(seconds(started)));
    cpu.put(result, events, "");
    drainStages(adapter.get("/metrics").body(), result);
  }

  /**
   * Where a drained event's time went inside the adapter (its histograms hold nothing but the drain yet):
   * the stages after the poll, the statements, and how many events a statement wrote on average. Not
   * {@code fetch} nor the event latency: the events were published before the adapter started.
   */
  private static void drainStages(String scrape, JsonObject result) {
    stagePercentiles("", scrape, List.of("dispatch", "queue", "statement", "reply"), List.of(50, 95), "_at_drain", result);
    result.put("db_op_p95_ms_at_drain",
        percentile("", scrape, "bridge_db_operation_duration_seconds", "outcome=\"success\"", 0.95));
    double statements = PromText.total(scrape, "bridge_db_batch_size_events_count");
    result.put("batch_events_mean_at_drain",
        statements == 0 ? null : round(PromText.total(scrape, "bridge_db_batch_size_events_sum") / statements));
  }

  /**
   * Events at {@code rate} for the warm-up seconds (not measured: the service at that rate, not the
   * change of rate), then for the configured seconds; percentiles of what the histograms recorded meanwhile.
   */
  private long latency(AdapterProcess adapter, Workload workload, String prefix, int rate, long before,
      JsonObject result) throws Exception {
    if (options.neighbour() == 0) {
      return rate(adapter, workload, prefix, rate, before, result);
    }
    try (Neighbour neighbour = Neighbour.start(options.neighbour())) {
      long events = rate(adapter, workload, prefix, rate, before, result);
      result.put("neighbour_cpu_share_at_" + rate, neighbour.cpuShare());
      return events;
    }
  }

  private long rate(AdapterProcess adapter, Workload workload, String prefix, int rate, long before,
      JsonObject result) throws Exception {
    long warmup = (long) rate * options.warmupSeconds();
    if (warmup > 0) {
      try (LoadGenerator generator = new LoadGenerator(options.bootstrap(), 0)) {
        generator.produce(workload, prefix, warmup, rate);
      }
      while (done(adapter) < before + warmup) {
        Thread.sleep(50);
      }
      before += warmup;
    }
    long events = (long) rate * options.seconds();
    String scrapeBefore = adapter.get("/metrics").body();
    Cpu cpu = new Cpu(adapter);
    try (LoadGenerator generator = new LoadGenerator(options.bootstrap(), 0)) {
      generator.produce(workload, prefix, events, rate);
    }
    while (done(adapter) < before + events) {
      Thread.sleep(50);
    }
    String scrapeAfter = adapter.get("/metrics").body();
    String at = "_at_" + rate;
    cpu.put(result, events, at);
    result.put("latency_rate_per_s", rate)
        .put("latency_p50_ms" + at, percentile(scrapeBefore, scrapeAfter, "bridge_event_latency_seconds", "", 0.50))
        .put("latency_p95_ms" + at, percentile(scrapeBefore, scrapeAfter, "bridge_event_latency_seconds", "", 0.95))
        .put("latency_p99_ms" + at, percentile(scrapeBefore, scrapeAfter, "bridge_event_latency_seconds", "", 0.99))
        .put("db_op_p95_ms" + at,
            percentile(scrapeBefore, scrapeAfter, "bridge_db_operation_duration_seconds", "outcome=\"success\"", 0.95))
        .put("pool_efficiency" + at, PromText.poolEfficiency(scrapeBefore, scrapeAfter));
    stagePercentiles(scrapeBefore, scrapeAfter, STAGES, List.of(50, 95, 99), at, result);
    // the keys of one rate, as before: the last rate's
    for (String key : List.of("latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "db_op_p95_ms", "pool_efficiency")) {
      result.put(key, result.getValue(key + at));
    }
    return warmup + events;
  }

  private void checkRows(Map<String, Long> expected, JsonObject result) throws Exception {
    Map<String, Long> actual = BenchInfra.rowCounts(DATABASE);
    long lost = 0;
    long duplicated = 0;
    for (Map.Entry<String, Long> table : expected.entrySet()) {
      long difference = actual.get(table.getKey()) - table.getValue();
      lost += Math.max(0, -difference);
      duplicated += Math.max(0, difference);
    }
    BenchInfra.recreateDatabase(CEILING_DATABASE);
    Migrations.apply(AdapterSettings.from(new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", options.bootstrap()))
        .put("database", new JsonObject().put("host", "127.0.0.1").put("database", CEILING_DATABASE)
            .put("user", "postgres")), Map.of()).database());
    try (Connection connection = BenchInfra.connect(CEILING_DATABASE)) {
      result.put("ceiling_rows_per_s", Math.round(Ceiling.rowsPerSecond(connection, expected)));
    }
    result.put("expected_rows", new JsonObject(new HashMap<>(expected))).put("rows", new JsonObject(new HashMap<>(actual)))
        .put("lost", lost).put("duplicated", duplicated);
  }

  private static long done(AdapterProcess adapter) {
    JsonObject consumer = adapter.consumer();
    return consumer.getLong("persisted", 0L) + consumer.getLong("dead_lettered", 0L);
  }

  /** {@code stage_<stage>_p<n>_ms<suffix>} of each stage and percentile, from two scrapes of the stage histograms. */
  private static void stagePercentiles(String before, String after, List<String> stages, List<Integer> percentiles,
      String suffix, JsonObject result) {
    for (String stage : stages) {
      for (int p : percentiles) {
        result.put("stage_" + stage + "_p" + p + "_ms" + suffix,
            percentile(before, after, "bridge_event_stage_seconds", "stage=\"" + stage + "\"", p / 100.0));
      }
    }
  }

  private static Double percentile(String before, String after, String histogram, String filter, double quantile) {
    TreeMap<Double, Double> from = PromText.buckets(before, histogram, filter);
    TreeMap<Double, Double> to = PromText.buckets(after, histogram, filter);
    double value = PromText.percentileMs(from, to, quantile);
    return Double.isNaN(value) ? null : round(value);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** The JIT's compiler threads ({@code C1 CompilerThread0}, {@code C2 CompilerThread1}, as /proc shortens them). */
  static boolean isCompiler(String threadName) {
    return threadName.matches("C[12] CompilerThr.*");
  }

  /**
   * CPU the adapter, PostgreSQL and the broker used from its creation to {@link #put}, per event. The
   * broker's is the consumer's cost alone at the drain (the events were published before); at a rate
   * it includes taking the producer's records.
   */
  private static final class Cpu {
    private final AdapterProcess adapter;
    private final double adapterBefore;
    private final Map<Long, Double> postgresBefore;
    private final Map<Long, Double> brokerBefore;
    private final Map<String, Double> threadsBefore;

    Cpu(AdapterProcess adapter) {
      this.adapter = adapter;
      this.threadsBefore = ProcStat.cpuSecondsByThread(adapter.pid());
      this.adapterBefore = ProcStat.cpuSeconds(adapter.pid());
      this.postgresBefore = ProcStat.cpuSecondsByPid(POSTGRES_BACKENDS);
      this.brokerBefore = ProcStat.cpuSecondsByPid(BROKER);
    }

    void put(JsonObject result, long events, String suffix) {
      double adapterSeconds = ProcStat.cpuSeconds(adapter.pid()) - adapterBefore;
      double postgresSeconds = ProcStat.cpuSecondsSince(postgresBefore, POSTGRES_BACKENDS);
      double brokerSeconds = ProcStat.cpuSecondsSince(brokerBefore, BROKER);
      JsonObject threads = new JsonObject();
      double compilerSeconds = 0;
      for (Map.Entry<String, Double> thread : ProcStat.cpuSecondsByThread(adapter.pid()).entrySet()) {
        double used = thread.getValue() - threadsBefore.getOrDefault(thread.getKey(), 0.0);
        if (used >= 0.05) {
          threads.put(thread.getKey(), round(used * 1e6 / events));
        }
        if (isCompiler(thread.getKey())) {
          compilerSeconds += used;
        }
      }
      result.put("adapter_cpu_us_per_event" + suffix, round(adapterSeconds * 1e6 / events))
          .put("adapter_cpu_us_per_event_without_jit" + suffix, round((adapterSeconds - compilerSeconds) * 1e6 / events))
          .put("pg_cpu_us_per_row" + suffix, round(postgresSeconds * 1e6 / events))
          .put("broker_cpu_us_per_event" + suffix, brokerBefore.isEmpty() ? null : round(brokerSeconds * 1e6 / events))
          .put("adapter_threads_cpu_us_per_event" + suffix, threads);
    }
  }
}
