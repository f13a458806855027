package io.omninode.bridge.adapter.testsupport;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The adapter as operators run it: {@code java -jar target/bridge-db-adapter.jar -conf <file>} in a
 * JVM of its own (the fat jar's manifest carries what Hazelcast needs), so that a test can SIGTERM it
 * or kill it, and the benchmark can watch its memory and CPU. Its output goes to
 * {@code <dir>/<name>.log}.
 */
public final class AdapterProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  public static final Path JAR = Path.of("target", "bridge-db-adapter.jar");
  /** The JVM settings the README's launch line and the image use. */
  public static final String SHIPPED_JVM_OPTIONS = "@" + Path.of("conf", "jvm.options").toAbsolutePath();
  /** The environment of the README's launch line and the image: glibc's malloc arenas capped. */
  public static final Map<String, String> SHIPPED_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /** What to start: a config (its {@code http.port} is set to a free port), and what else the process gets. */
  public record Launch(String name, JsonObject config, Map<String, String> environment, List<String> jvmFlags,
      List<String> arguments, Path dir, Path jar) {

    public static Launch of(String name, JsonObject config) {
      return new Launch(name, config, Map.of(), List.of(SHIPPED_JVM_OPTIONS), List.of(),
          Path.of("target", "adapter-processes"), JAR);
    }

    public Launch environment(Map<String, String> more) {
      return new Launch(name, config, more, jvmFlags, arguments, dir, jar);
    }

    public Launch jvm(List<String> flags) {
      return new Launch(name, config, environment, flags, arguments, dir, jar);
    }

    public Launch arguments(List<String> more) {
      return new Launch(name, config, environment, jvmFlags, more, dir, jar);
    }

    public Launch in(Path directory) {
      return new Launch(name, config, environment, jvmFlags, arguments, directory, jar);
    }

    /** Another build of the adapter, e.g. the previous one for an A/B comparison. */
    public Launch jar(Path other) {
      return new Launch(name, config, environment, jvmFlags, arguments, dir, other);
    }
  }

  private final Process process;
  private final int httpPort;
  private final Path log;
  private final Thread sampler;
  private volatile long peakRssKb;

  private AdapterProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
    this.sampler = new Thread(this::sampleRss, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts the process on a free HTTP port and returns at once. */
  public static AdapterProcess start(Launch launch) throws IOException {
    JsonObject config = launch.config().copy();
    config.put("http", config.getJsonObject("http", new JsonObject()).copy().put("port", Ports.free()));
    return launch(launch, config);
  }

  /**
   * Starts the adapter with {@code config} in its -conf file, {@code http.port} as it is, and returns
   * at once: for tests of start-up itself.
   */
  public static AdapterProcess launch(String name, JsonObject config, Map<String, String> environment,
      List<String> arguments) throws IOException {
    return launch(Launch.of(name, config).environment(environment).arguments(arguments), config);
  }

  /** The same with the launcher's arguments exactly as given (a -conf naming no file, say). */
  public static AdapterProcess launchWith(String name, int httpPort, Map<String, String> environment,
      List<String> launcherArguments) throws IOException {
    return exec(Launch.of(name, new JsonObject()).environment(environment), httpPort, launcherArguments);
  }

  private static AdapterProcess launch(Launch launch, JsonObject config) throws IOException {
    Files.createDirectories(launch.dir());
    Path configFile = Files.writeString(launch.dir().resolve(launch.name() + ".json"), config.encodePrettily());
    List<String> launcherArguments = new ArrayList<>(List.of("-conf", configFile.toString()));
    launcherArguments.addAll(launch.arguments());
    return exec(launch, config.getJsonObject("http").getInteger("port"), launcherArguments);
  }

  private static AdapterProcess exec(Launch launch, int httpPort, List<String> launcherArguments) throws IOException {
    Files.createDirectories(launch.dir());
    Path log = launch.dir().resolve(launch.name() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.timezone=UTC");
    command.addAll(launch.jvmFlags());
    command.addAll(List.of("-jar", launch.jar().toString()));
    command.addAll(launcherArguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(SHIPPED_ENVIRONMENT);
    builder.environment().putAll(launch.environment());
    return new AdapterProcess(builder.start(), httpPort, log);
  }

  /** Starts the process and waits until it is ready ({@code /health/ready} answers 200). */
  public static AdapterProcess startReady(Launch launch) throws Exception {
    AdapterProcess adapter = start(launch);
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      if (!adapter.isAlive()) {
        throw new IllegalStateException("adapter exited with " + adapter.process.exitValue() + ": " + adapter.output());
      }
      return adapter.answers("/health/ready");
    });
    return adapter;
  }

  /** Waits until the HTTP endpoints answer (the adapter is deployed, ready or not). */
  public void awaitServing() {
    await().atMost(Duration.ofSeconds(60)).until(() -> answers("/health/live"));
  }

  /** The output as the JSON log lines it must consist of; anything else (a bare stack trace, usage text) fails. */
  public List<JsonObject> logLines() throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      try {
        lines.add(new JsonObject(line));
      } catch (DecodeException notJson) {
        throw new AssertionError("not a JSON log line: " + line, notJson);
      }
    }
    return lines;
  }

  /** The body of {@code /health/ready}, which carries the consumer's counters. */
  public JsonObject readiness() throws Exception {
    return new JsonObject(get("/health/ready").body());
  }

  /** The consumer's counters; empty while the adapter is starting. */
  public JsonObject consumer() {
    try {
      JsonObject counters = readiness().getJsonObject("kafka_consumer");
      return counters == null ? new JsonObject() : counters;
    } catch (Exception notYet) {
      return new JsonObject();
    }
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public int httpPort() {
    return httpPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no commit, nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code once it has exited (or -1 if it is still running after {@code timeout}). */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** The exit code once the process has exited on its own (or -1 if it is still running after {@code timeout}). */
  public int exitCode(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  public long pid() {
    return process.pid();
  }

  /** Resident memory now, from /proc; 0 once the process has exited. */
  public long rssKb() {
    return ProcStat.rssKb(process.pid());
  }

  public long peakRssKb() {
    return peakRssKb;
  }

  private boolean answers(String path) {
    try {
      return get(path).statusCode() == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
  }

  private void sampleRss() {
    while (process.isAlive()) {
      peakRssKb = Math.max(peakRssKb, rssKb());
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
    sampler.interrupt();
  }
}
