package io.omninode.bridge.adapter.bench;

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

/** The adapter as a separate JVM from the fat jar, with its counters, metrics and resident memory. */
final class AdapterUnderTest implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Thread sampler;
  private volatile long peakRssKb;

  private AdapterUnderTest(Process process, int port) {
    this.process = process;
    this.port = port;
    this.sampler = new Thread(this::sampleRss, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** {@code jvmOptions}: heap, collector and any other JVM flag; {@code arguments}: the launcher's, e.g. {@code -cluster}. */
  static AdapterUnderTest start(Path jar, Path config, List<String> jvmOptions, int port, Map<String, String> environment,
      Path log, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "-conf", config.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("BRIDGE_HTTP_PORT", String.valueOf(port));
    return new AdapterUnderTest(builder.start(), port);
  }

  /** The consumer's counters from {@code /health/ready}; empty while the adapter is starting. */
  JsonObject consumer() {
    try {
      JsonObject ready = new JsonObject(get("/health/ready"));
      JsonObject consumer = ready.getJsonObject("kafka_consumer");
      return consumer == null ? new JsonObject() : consumer;
    } catch (IOException | RuntimeException notYet) {
      return new JsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject();
    }
  }

  String metrics() throws IOException, InterruptedException {
    return get("/metrics");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the process has exited
    }
    return 0;
  }

  long peakRssKb() {
    return peakRssKb;
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

  private String get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    sampler.interrupt();
  }
}
