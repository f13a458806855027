package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.ConfigException;
import io.omninode.bridge.adapter.config.JsonOption;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar bridge-db-adapter.jar redrive [-conf <file>] [options]}: puts dead letters back on
 * their original topics, where the adapter consumes them as any event (docs/redrive.md). Plain Kafka
 * clients, no Vert.x. Exits 0 when done, 1 when it cannot (config, broker), 2 on a bad command line;
 * a SIGINT or SIGTERM aborts the open transaction, says so, and exits with the JVM's 130 or 143.
 */
public final class RedriveCommand {

  public static final String NAME = "redrive";
  static final int EXIT_DONE = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  private static final Logger log = LoggerFactory.getLogger(RedriveCommand.class);
  private static final long STOP_WAIT_MS = 30_000;

  private final RedriveOptions options;
  private final KafkaSettings kafka;
  private final List<String> topics;
  private final RedriveReport report;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile RedriveRun run;
  private volatile boolean stopRequested;

  private RedriveCommand(RedriveOptions options, KafkaSettings kafka, List<String> topics) {
    this.options = options;
    this.kafka = kafka;
    this.topics = topics;
    this.report = new RedriveReport(options.dryRun(), topics);
  }

  /** The exit code. */
  public static int run(String[] args) {
    RedriveOptions options;
    try {
      options = RedriveOptions.parse(List.of(args));
    } catch (IllegalArgumentException usage) {
      return usage(usage.getMessage());
    }
    if (options.help()) {
      System.out.print(RedriveOptions.USAGE);
      return EXIT_DONE;
    }
    KafkaSettings kafka;
    try {
      kafka = AdapterSettings.from(conf(options.conf()), System.getenv()).kafka();
    } catch (ConfigException | IllegalArgumentException invalid) {
      log.error("Cannot redrive: {}", invalid.getMessage());
      return EXIT_FAILED;
    }
    List<String> topics = options.topics().isEmpty()
        ? kafka.topics().stream().map(kafka::deadLetterTopic).toList() : options.topics();
    for (String topic : topics) {
      if (!topic.endsWith(kafka.deadLetterSuffix())) {
        return usage("--topic '" + topic + "' is not a dead-letter topic (its name does not end with '"
            + kafka.deadLetterSuffix() + "')");
      }
      if (!kafka.topics().contains(topic.substring(0, topic.length() - kafka.deadLetterSuffix().length()))) {
        return usage("--topic '" + topic + "' is not the dead-letter topic of a configured topic (kafka.topics)");
      }
    }
    return new RedriveCommand(options, kafka, topics).execute();
  }

  private int execute() {
    Thread hook = new Thread(this::stopAndWait, "redrive-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return redrive();
    } finally {
      report.logSummary();
      System.err.print(report.table());
      System.err.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException stopping) {
        // the hook is running: it returns now that the summary is out
      }
    }
  }

  private int redrive() {
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
             new ByteArrayDeserializer());
         Producer<byte[], byte[]> producer = options.dryRun() ? null
             : new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      RedriveLedger ledger = new RedriveLedger(kafka.redriveLogTopic());
      Map<String, RedriveSource> sources;
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        sources = RedriveSource.describe(admin, topics, kafka.deadLetterSuffix(), !options.topics().isEmpty());
        if (!options.dryRun()) {
          ledger.ensureTopic(admin);
        }
      }
      run = new RedriveRun(options, ledger, sources, consumer, producer, report, Clock.systemUTC());
      if (stopRequested) {
        run.stop();
      }
      run.run();
      return EXIT_DONE;
    } catch (KafkaException | ExecutionException | TimeoutException | IllegalArgumentException failure) {
      return failed(failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.interrupted();
      return EXIT_FAILED;
    }
  }

  private void stopAndWait() {
    stopRequested = true;
    RedriveRun current = run;
    if (current != null) {
      current.stop();
    }
    try {
      finished.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int failed(Throwable failure) {
    report.failed(failure.toString());
    log.error("Cannot redrive: {}", failure.getMessage() == null ? failure.toString() : failure.getMessage());
    return EXIT_FAILED;
  }

  /** Read committed, so that the redrive log holds only what was committed; by assignment, no group. */
  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, KafkaSettings.READ_COMMITTED);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = kafka.producerConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.redriveTransactionalId());
    return config;
  }

  private static int usage(String problem) {
    System.err.println("redrive: " + problem + " (redrive --help lists the options)");
    return EXIT_USAGE;
  }

  /** As the launcher takes {@code -conf}: a file, or the JSON itself; none means the environment alone. */
  private static JsonObject conf(String value) {
    return value == null ? new JsonObject() : JsonOption.read("-conf", value);
  }
}
