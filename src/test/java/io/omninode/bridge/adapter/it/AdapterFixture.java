package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.MainVerticle;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One adapter under test: its own database ({@link #db}) and topics ({@link #topics}) on the shared
 * broker and PostgreSQL, and its life cycle: the real {@link MainVerticle} deployed with a config
 * pointing at them, or the fat jar started as a process on the same config.
 */
final class AdapterFixture implements AutoCloseable {

  final Vertx vertx;
  final String database;
  final String topicPrefix;
  final String bootstrapServers;
  /** The adapter's config; a test may change it before {@link #start()}. */
  final JsonObject config;
  /** The adapter's topics: produce to them, read what is on them. */
  final TestTopics topics;
  /** The adapter's database, by JDBC. */
  final TestDatabase db;
  /** Counts and snapshots of the six tables. */
  final TableSnapshots snapshots;
  private String groupId;
  private String deploymentId;

  AdapterFixture(String name) throws Exception {
    this(name, TestEnvironment.kafkaBootstrapServers());
  }

  /** An adapter on a broker of the test's own (one it stops and starts). */
  AdapterFixture(String name, String bootstrapServers) throws Exception {
    this(name, bootstrapServers, 3);
  }

  /** An adapter whose topics have {@code partitions} partitions each. */
  AdapterFixture(String name, int partitions) throws Exception {
    this(name, TestEnvironment.kafkaBootstrapServers(), partitions);
  }

  private AdapterFixture(String name, String bootstrapServers, int partitions) throws Exception {
    this(name, bootstrapServers, partitions, true);
  }

  /** An adapter told about a broker that is not up yet: create its {@link #topics} once it is. */
  static AdapterFixture beforeBroker(String name, String bootstrapServers) throws Exception {
    return new AdapterFixture(name, bootstrapServers, 3, false);
  }

  private AdapterFixture(String name, String bootstrapServers, int partitions, boolean brokerUp) throws Exception {
    this.bootstrapServers = bootstrapServers;
    db = TestDatabase.create(name);
    snapshots = new TableSnapshots(db);
    database = db.name();
    topicPrefix = "it." + name + "." + UUID.randomUUID().toString().substring(0, 8);
    topics = TestTopics.notCreated(topicPrefix, bootstrapServers, partitions);
    // metrics as the launcher enables them, in a registry of this adapter's own
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(topicPrefix))).build();
    groupId = topicPrefix + ".group";
    if (brokerUp) {
      topics.create();
    }
    config = initialConfig();
  }

  private JsonObject initialConfig() {
    PgTarget pg = TestEnvironment.postgres();
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("metrics_registry", topicPrefix))
        .put("kafka", topics.kafkaConfig(groupId))
        .put("database", new JsonObject()
            .put("host", pg.host()).put("port", pg.port()).put("database", database)
            .put("user", pg.user()).put("password", pg.password())
            .put("pool_size", 8).put("migrate", true));
  }

  // the life cycle is synchronous, as JUnit's callbacks are: it waits with Vert.x's own Future.await

  /** Deploys the adapter and waits until it has joined its consumer group. */
  AdapterFixture start() throws Exception {
    deploymentId = vertx.deployVerticle(MainVerticle.from(config.copy())).await(60, TimeUnit.SECONDS);
    return this;
  }

  void stop() throws Exception {
    if (deploymentId != null) {
      vertx.undeploy(deploymentId).await(60, TimeUnit.SECONDS);
      deploymentId = null;
    }
  }

  /** The next start reads the topics again from the beginning, as a new consumer group. */
  void useNewConsumerGroup() {
    groupId = topicPrefix + ".group." + UUID.randomUUID().toString().substring(0, 8);
    config.getJsonObject("kafka").put("group_id", groupId);
  }

  /** The running adapter's ingest counters. */
  JsonObject ingestStats() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.INGEST_STATS, null).await(60, TimeUnit.SECONDS).body();
  }

  /** The adapter as a process of its own (the fat jar), on this fixture's config, once it is ready. */
  AdapterProcess startProcess(String name) throws Exception {
    return startProcess(name, Map.of());
  }

  AdapterProcess startProcess(String name, Map<String, String> environment) throws Exception {
    return AdapterProcess.startReady(AdapterProcess.Launch.of(name, config).environment(environment));
  }

  /** Started with {@code -cluster} and this {@code cluster} section. */
  AdapterProcess startClusteredProcess(String name, JsonObject cluster) throws Exception {
    return AdapterProcess.startReady(AdapterProcess.Launch.of(name, config.copy().put("cluster", cluster))
        .arguments(List.of("-cluster")));
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      topics.close();
      vertx.close().await(60, TimeUnit.SECONDS);
      db.close();
    }
  }
}
