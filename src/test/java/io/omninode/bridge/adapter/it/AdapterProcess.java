package io.omninode.bridge.adapter.it;

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
    return start(fixture, name, environment, fixture.config.copy(), List.of());
  }

  /** Started with {@code -cluster} and this {@code cluster} section. */
  static AdapterProcess startClustered(AdapterFixture fixture, String name, JsonObject cluster) throws Exception {
    return start(fixture, name, Map.of(), fixture.config.copy().put("cluster", cluster), List.of("-cluster"));
  }

  private static AdapterProcess start(AdapterFixture fixture, String name, Map<String, String> environment,
      JsonObject config, List<String> arguments) throws Exception {
    int port = freePort();
    config.getJsonObject("http").put("port", port);
    Path dir = Files.createDirectories(Path.of("target", "adapter-processes"));
    Path configFile = Files.writeString(dir.resolve(name + ".json"), config.encodePrettily());
    Path log = dir.resolve(name + ".log");
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
        "io.omninode.bridge.adapter.AdapterApplication",
        "io.omninode.bridge.adapter.MainVerticle",
        "-conf", configFile.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    AdapterProcess adapter = new AdapterProcess(process, port, log);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("adapter exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      return adapter.isReady();
    });
    return adapter;
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
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  private boolean isReady() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
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
