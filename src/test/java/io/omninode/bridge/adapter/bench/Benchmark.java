package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.Workload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.utils.AppInfoParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark ({@code scripts/bench.sh}): {@link BenchRun} a number of times, medians of the runs,
 * then the clustered drain of {@link ScalingRun}; prints a table and writes
 * {@code target/bench/result.json}. With {@code --ab other.jar} every run is made twice, by the
 * current build and by the other, alternately, so that a change is judged against the previous build
 * on the same machine in the same session.
 */
public final class Benchmark {

  /** The figures reported as medians; the first ones are the targets' keys. */
  static final List<String> FIGURES = List.of("events", "drain_events_per_s", "ceiling_rows_per_s", "latency_p50_ms",
      "latency_p95_ms", "latency_p99_ms", "db_op_p95_ms", "rss_peak_mb", "rss_final_mb", "lost", "duplicated",
      "adapter_cpu_us_per_event", "adapter_cpu_us_per_event_without_jit", "pg_cpu_us_per_row",
      "broker_cpu_us_per_event", "pool_efficiency");

  /** The command line, with the defaults of a full run. */
  record Options(Map<String, String> given) {

    long events() {
      return Long.parseLong(given.getOrDefault("events", "1000000"));
    }

    int runs() {
      return Integer.parseInt(given.getOrDefault("runs", "3"));
    }

    List<Integer> rates() {
      return Arrays.stream(given.getOrDefault("rate", "1000,5000").split(",")).map(String::trim)
          .filter(rate -> !rate.isEmpty()).map(Integer::parseInt).toList();
    }

    int seconds() {
      return Integer.parseInt(given.getOrDefault("seconds", "60"));
    }

    /** Seconds at each rate before its latency is measured. */
    int warmupSeconds() {
      return Integer.parseInt(given.getOrDefault("warmup-seconds", "10"));
    }

    int partitions() {
      return Integer.parseInt(given.getOrDefault("partitions", "6"));
    }

    int workflows() {
      return Integer.parseInt(given.getOrDefault("workflows", "500"));
    }

    /** Workflows in progress at once while publishing at a rate: few, so that a workflow's events come close together. */
    int latencyWorkflows() {
      return Integer.parseInt(given.getOrDefault("latency-workflows", "4"));
    }

    Workload.Mix mix() {
      return "steps".equals(given.get("only")) ? Workload.Mix.STEPS : Workload.Mix.ALL;
    }

    String bootstrap() {
      return given.getOrDefault("bootstrap", "localhost:9092");
    }

    Path jar() {
      return Path.of(given.getOrDefault("jar", AdapterProcess.JAR.toString()));
    }

    /** The share of one core a busy neighbour takes through the rate phases ({@link Neighbour}); 0: none. */
    double neighbour() {
      return Double.parseDouble(given.getOrDefault("neighbour", "0"));
    }

    /** The build to compare with, alternately, or null. */
    Path otherJar() {
      return given.containsKey("ab") ? Path.of(given.get("ab")) : null;
    }

    List<String> scaling() {
      return Arrays.stream(given.getOrDefault("scaling", "1,2,3").split(",")).map(String::trim)
          .filter(instances -> !instances.isEmpty() && !instances.equals("none")).toList();
    }

    /** The shipped JVM settings ({@code conf/jvm.options}, as the README and the image launch it), then --heap, --jvm. */
    List<String> jvm() {
      List<String> flags = new ArrayList<>();
      Path shipped = Path.of(given.getOrDefault("jvm-options", "conf/jvm.options"));
      if (Files.exists(shipped)) {
        flags.add("@" + shipped.toAbsolutePath());
      }
      if (given.containsKey("heap")) {
        flags.addAll(List.of("-Xms" + given.get("heap"), "-Xmx" + given.get("heap")));
      }
      String more = given.getOrDefault("jvm", "").trim();
      if (!more.isEmpty()) {
        flags.addAll(List.of(more.split("\\s+")));
      }
      return flags;
    }

    /** The adapter of one run: the fat jar on the run's topics and database, logging to target/bench/. */
    AdapterProcess.Launch launch(String name, String prefix, Path jar) throws Exception {
      Map<String, String> env = new HashMap<>();
      env.put("BRIDGE_KAFKA_TOPIC_PREFIX", prefix);
      env.put("BRIDGE_KAFKA_GROUP_ID", prefix + ".group");
      env.put("BRIDGE_DATABASE_DATABASE", BenchRun.DATABASE);
      JsonObject config = new JsonObject(Files.readString(Path.of(given.getOrDefault("config", "conf/config.json"))));
      return AdapterProcess.Launch.of(name, config).environment(env).jvm(jvm()).in(Path.of("target", "bench")).jar(jar);
    }
  }

  private final Options options;
  private final BenchInfra infra;

  private Benchmark(Options options) {
    this.options = options;
    this.infra = new BenchInfra(options.bootstrap());
  }

  public static void main(String[] args) throws Exception {
    new Benchmark(new Options(LoadGenerator.options(args))).run();
    System.exit(0);
  }

  private void run() throws Exception {
    List<JsonObject> current = new ArrayList<>();
    List<JsonObject> other = new ArrayList<>();
    BenchRun runner = new BenchRun(options, infra);
    for (int run = 1; run <= options.runs(); run++) {
      current.add(report("run " + run, runner.run(run, options.jar())));
      if (options.otherJar() != null) {
        other.add(report("run " + run + " (other build)", otherRun(runner, run)));
      }
    }
    JsonObject summary = Summary.medians(current).put("worst", Summary.worst(current)).put("runs", new JsonArray(current))
        .put("machine", machine());
    if (options.otherJar() != null) {
      summary.put("ab", Summary.comparison(options.otherJar(), current, other));
    }
    JsonArray scaling = new JsonArray();
    for (String instances : options.scaling()) {
      scaling.add(report("scaling", new ScalingRun(options, infra).run(Integer.parseInt(instances))));
    }
    summary.put("scaling", scaling);
    Path out = Files.createDirectories(Path.of("target", "bench")).resolve("result.json");
    Files.writeString(out, summary.encodePrettily());
    Summary.print(summary);
    System.out.println("written: " + out);
  }

  /**
   * A run of the other build that fails is reported and left out of its medians, not fatal to the session:
   * an older build may not survive today's settings (the shared JVM flags, say), and that is a result too.
   */
  private JsonObject otherRun(BenchRun runner, int run) {
    try {
      return runner.run(run, options.otherJar());
    } catch (Exception e) {
      return new JsonObject().put("run", run).put("jar", options.otherJar().toString()).put("failed", e.getMessage());
    }
  }

  private static JsonObject report(String what, JsonObject result) {
    System.out.println(what + ": " + result.encode());
    return result;
  }

  private JsonObject machine() throws Exception {
    String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
    return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("memory_mb", Long.parseLong(memory) / 1024).put("java", System.getProperty("java.version"))
        .put("postgresql", BenchInfra.serverVersion()).put("kafka", AppInfoParser.getVersion())
        .put("adapter_jvm", String.join(" ", options.jvm())).put("neighbour_share_of_a_core", options.neighbour())
        .put("note", "Kafka, PostgreSQL and the adapter share this machine: events/s move 10-20 % between runs; "
            + "CPU per event moves less, and --ab compares two builds in one session");
  }
}
