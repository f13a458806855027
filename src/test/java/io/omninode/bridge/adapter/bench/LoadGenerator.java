package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.omninode.bridge.adapter.testsupport.Workload;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the benchmark's workload to Kafka, as fast as possible or at a fixed rate:
 * {@code scripts/bench.sh load-generator
 * --events 100000 --rate 5000 --workflows 500 --seed 1 [--bootstrap localhost:9092]
 * [--prefix dev.omninode-bridge] [--expect expected.json]}. With {@code --expect} it writes the
 * row count each table must end with.
 */
public final class LoadGenerator implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /** The linger of the bulk pre-load: batches fill, the broker takes them faster. */
  static final int BULK_LINGER_MS = 5;

  /** {@code lingerMs} 0 publishes each event at once, as the bridge nodes do. */
  LoadGenerator(String bootstrapServers, int lingerMs) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Kafka 3.9's idempotent producer can reset a partition's sequence after NOT_LEADER on a just-created
    // topic and then fail with OutOfOrderSequence; the adapter takes duplicates and any order, the benchmark
    // needs the records delivered
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String prefix = options.getOrDefault("prefix", "dev.omninode-bridge");
    Workload workload = new Workload(Integer.parseInt(options.getOrDefault("workflows", "500")),
        Long.parseLong(options.getOrDefault("seed", "1")));
    long events = Long.parseLong(options.getOrDefault("events", "100000"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "0"));
    long start = System.nanoTime();
    try (LoadGenerator generator = new LoadGenerator(options.getOrDefault("bootstrap", "localhost:9092"),
        Integer.parseInt(options.getOrDefault("linger", "0")))) {
      generator.produce(workload, prefix, events, rate);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%d events to %s.* in %.1f s (%.0f events/s)%n", events, prefix, seconds, events / seconds);
    if (options.containsKey("expect")) {
      Files.writeString(Path.of(options.get("expect")), new JsonObject(Map.copyOf(workload.expectedRows()))
          .encodePrettily());
    }
  }

  /** Sends {@code events} events of the workload, {@code rate} per second (0: as fast as possible), then flushes. */
  void produce(Workload workload, String prefix, long events, int rate) throws Exception {
    long start = System.nanoTime();
    for (long i = 0; i < events; i++) {
      if (rate > 0) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      TestEvents.Event event = workload.next(Instant.now());
      producer.send(new ProducerRecord<>(event.topic(prefix), event.key(), event.envelope().encode()), (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
      });
      if (failure.get() != null) {
        throw failure.get();
      }
    }
    producer.flush();
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(30));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
