package io.omninode.bridge.adapter.it;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
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
 * The adapter as operators run it: a separate JVM started through the fat jar's entry point with a
 * config file, so that a test can SIGTERM it or kill it with SIGKILL.
 */
final class AdapterProcess implements AutoCloseable {

  private static final HttpClient http = HttpClient.newHttpClient();

  private final Process process;
  private final int httpPort;
  final Path log;

  private AdapterProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts the adapter with the fixture's config and waits until it is ready. */
  static AdapterProcess start(AdapterFixture fixture, String name) throws Exception {
    return start(fixture, name, Map.of());
  }

  /** The same, with extra environment variables (e.g. {@code BRIDGE_LOG_EVENTS}). */
  static AdapterProcess start(AdapterFixture fixture, String name, Map<String, String> environment) throws Exception {
    return start(name, environment, fixture.config.copy(), List.of());
  }

  /** Started with {@code -cluster} and this {@code cluster} section. */
  static AdapterProcess startClustered(AdapterFixture fixture, String name, JsonObject cluster) throws Exception {
    return start(name, Map.of(), fixture.config.copy().put("cluster", cluster), List.of("-cluster"));
  }

  private static AdapterProcess start(String name, Map<String, String> environment, JsonObject config,
      List<String> arguments) throws Exception {
    config.getJsonObject("http").put("port", freePort());
    AdapterProcess adapter = launch(name, config, environment, arguments);
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.answers("/health/ready"));
    return adapter;
  }

  /**
   * Starts the adapter with {@code config} in its -conf file and returns at once, for tests of
   * start-up itself; {@code http.port} is used as it is.
   */
  static AdapterProcess launch(String name, JsonObject config, Map<String, String> environment,
      List<String> arguments) throws IOException {
    Path configFile = Files.writeString(directory().resolve(name + ".json"), config.encodePrettily());
    List<String> launcherArguments = new ArrayList<>(List.of("-conf", configFile.toString()));
    launcherArguments.addAll(arguments);
    return launchWith(name, config.getJsonObject("http").getInteger("port"), environment, launcherArguments);
  }

  /** The same with the launcher's arguments exactly as given (a -conf naming no file, say). */
  static AdapterProcess launchWith(String name, int httpPort, Map<String, String> environment,
      List<String> launcherArguments) throws IOException {
    Path log = directory().resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Duser.timezone=UTC",
        // what the fat jar's manifest grants Hazelcast (-cluster)
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        // the shipped JSON logging, not the tests' plain text
        "-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"),
        // from the class path there is no manifest naming the main verticle
        "io.omninode.bridge.adapter.AdapterApplication", "io.omninode.bridge.adapter.MainVerticle"));
    command.addAll(launcherArguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new AdapterProcess(builder.start(), httpPort, log);
  }

  /** Waits until the HTTP endpoints answer (the adapter is deployed, ready or not). */
  void awaitServing() {
    await().atMost(Duration.ofSeconds(60)).until(() -> answers("/health/live"));
  }

  /** The exit code once the process has exited on its own, or -1 if it is still running after {@code timeout}. */
  int exitCode(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** The output as the JSON log lines it must consist of; anything else (a bare stack trace, usage text) fails. */
  List<JsonObject> logLines() throws IOException {
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
  JsonObject readiness() throws Exception {
    return new JsonObject(get("/health/ready").body());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: no shutdown hook, no commit, nothing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code once it has exited (or -1 if it is still running after {@code timeout}). */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return exitCode(timeout);
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /** 200 from {@code path}; an adapter that exited fails the wait with its output. */
  private boolean answers(String path) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("adapter exited with " + process.exitValue() + ": " + output());
    }
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
  }

  private static Path directory() throws IOException {
    return Files.createDirectories(Path.of("target", "adapter-processes"));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
