package io.omninode.bridge.adapter.testsupport;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one) running inside the test JVM.
 * Its ports and data directory stay fixed across {@link #stop()} and {@link #start()}, so a test can
 * restart it the way an operator restarts a broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private final String clusterId = Uuid.randomUuid().toString();
  private KafkaRaftServer server;

  public EmbeddedKafkaBroker() throws IOException {
    this(Ports.free());
  }

  /** A broker that will listen on {@code brokerPort}: one an adapter was told about before the broker started. */
  public EmbeddedKafkaBroker(int brokerPort) throws IOException {
    dataDir = Files.createTempDirectory("bridge-kafka-");
    this.brokerPort = brokerPort;
    controllerPort = Ports.free();
    format();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public synchronized EmbeddedKafkaBroker start() {
    if (server == null) {
      server = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
      server.startup();
    }
    return this;
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> properties() {
    return Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("log.dirs", dataDir.resolve("log").toString()),
        Map.entry("num.partitions", "3"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "5"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE)),
        Map.entry("controlled.shutdown.enable", "true"));
  }

  /** Formats the storage once, as {@code kafka-storage.sh format} does before a first start. */
  private void format() throws IOException {
    Path config = dataDir.resolve("server.properties");
    Properties props = new Properties();
    props.putAll(properties());
    try (Writer writer = Files.newBufferedWriter(config)) {
      props.store(writer, "embedded test broker");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
        new PrintStream(output, true, StandardCharsets.UTF_8));
    if (exit != 0) {
      throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }
}
