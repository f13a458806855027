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
 * One adapter under test: its own database and topics on the shared broker and PostgreSQL, the
 * real {@link MainVerticle} deployed with a config pointing at them, a producer and JDBC to look.
 */
final class AdapterFixture implements AutoCloseable {

  final Vertx vertx;
  final String database;
  final String topicPrefix;
  final String bootstrapServers;
  /** Partitions of each topic. */
  final int partitions;
  /** The adapter's config; a test may change it before {@link #start()}. */
  final JsonObject config;
  private final KafkaProducer<String, String> producer;
  private final TestDatabase db;
  private final TableSnapshots snapshots;
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

  /** An adapter told about a broker that is not up yet: call {@link #createTopics()} once it is. */
  static AdapterFixture beforeBroker(String name, String bootstrapServers) throws Exception {
    return new AdapterFixture(name, bootstrapServers, 3, false);
  }

  private AdapterFixture(String name, String bootstrapServers, int partitions, boolean brokerUp) throws Exception {
    this.bootstrapServers = bootstrapServers;
    this.partitions = partitions;
    db = TestDatabase.create(name);
    snapshots = new TableSnapshots(db);
    database = db.name();
    topicPrefix = "it." + name + "." + UUID.randomUUID().toString().substring(0, 8);
    // metrics as the launcher enables them, in a registry of this adapter's own
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(topicPrefix))).build();
    groupId = topicPrefix + ".group";
    if (brokerUp) {
      createTopics();
    }
    config = initialConfig();
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5),
        new StringSerializer(), new StringSerializer());
  }

  private JsonObject initialConfig() {
    PgTarget pg = TestEnvironment.postgres();
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("metrics_registry", topicPrefix))
        .put("kafka", new JsonObject()
            .put("bootstrap_servers", bootstrapServers)
            .put("group_id", groupId)
            .put("topic_prefix", topicPrefix)
            .put("auto_offset_reset", "earliest")
            .put("commit_interval_ms", 200)
            .put("client", new JsonObject().put("metadata.max.age.ms", 2000)))
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

  /** Produces every event and returns once the broker has acknowledged all of them. */
  void produce(List<TestEvents.Event> events) throws Exception {
    produceRecords(events.stream().map(this::record).toList());
  }

  ProducerRecord<String, String> record(TestEvents.Event event) {
    return new ProducerRecord<>(event.topic(topicPrefix), event.key(), event.envelope().encode());
  }

  /** Produces records as they are (any topic, key, value) and returns where each one landed. */
  List<RecordMetadata> produceRecords(List<ProducerRecord<String, String>> records) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> acks = records.stream().map(producer::send).toList();
    producer.flush();
    List<RecordMetadata> landed = new ArrayList<>(acks.size());
    for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
      landed.add(ack.get(30, TimeUnit.SECONDS));
    }
    return landed;
  }

  void produceRaw(EventType topicOf, String key, String value) throws Exception {
    produceRawToTopic(TestEvents.topic(topicPrefix, topicOf), key, value);
  }

  void produceRawToTopic(String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
  }

  /** Every record on this adapter's dead-letter topics so far, read from the beginning. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return records(topic -> topic.startsWith(topicPrefix) && topic.endsWith(".dlq"), "read_uncommitted");
  }

  /** Every committed record of {@code topic} so far (none while it does not exist): what the adapter consumes. */
  List<ConsumerRecord<byte[], byte[]>> committedRecords(String topic) {
    return records(topic::equals, "read_committed");
  }

  /** Every record of the topics that {@code topics} accepts, read at {@code isolation} (read_committed or read_uncommitted). */
  List<ConsumerRecord<byte[], byte[]>> records(java.util.function.Predicate<String> topics, String isolation) {
    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = reader.listTopics().entrySet().stream()
          .filter(topic -> topics.test(topic.getKey()))
          .flatMap(topic -> topic.getValue().stream())
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
        reader.poll(java.time.Duration.ofMillis(500)).forEach(records::add);
      }
      return records;
    }
  }

  JsonObject ingestStats() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.INGEST_STATS, null).await(60, TimeUnit.SECONDS).body();
  }

  long count(String table) throws SQLException {
    return db.count(table);
  }

  long queryLong(String sql) throws SQLException {
    return db.queryLong(sql);
  }

  /** A transaction holding {@code table} exclusively: the adapter's statements on it wait until it ends (close it). */
  Connection lockTable(String table) throws SQLException {
    PgTarget pg = TestEnvironment.postgres();
    Connection connection = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }
    return connection;
  }

  /** Runs a statement on this adapter's database (a constraint of a site's own, say). */
  void execute(String sql) throws SQLException {
    db.execute(sql);
  }

  /** Rows in each of the six tables (the fault tests and most ITs wait on these). */
  Map<String, Long> counts() throws SQLException {
    return snapshots.counts();
  }

  /** Rows of a query as column -> text value maps, in result order. */
  List<Map<String, String>> rows(String sql) throws SQLException {
    return db.rows(sql);
  }

  /** Every row, or every business column, of the six tables. */
  TableSnapshots snapshots() {
    return snapshots;
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

  void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<NewTopic> topics = KafkaSettings.defaultTopics(topicPrefix).stream()
          .map(topic -> new NewTopic(topic, partitions, (short) 1)).toList();
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
    }
  }

  /**
   * Waits until the adapter has created its dead-letter topics and their leaders are known: a test that
   * dead-letters many events at once does not race their creation.
   */
  void awaitDeadLetterTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<String> topics = KafkaSettings.defaultTopics(topicPrefix).stream().map(topic -> topic + ".dlq").toList();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(topics));
      awaitLeaders(admin, topics);
    }
  }

  /** A just-created partition refuses writes until its leader is known; producing earlier only causes retries. */
  private static void awaitLeaders(Admin admin, List<String> topics) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
            .flatMap(description -> description.partitions().stream())
            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      producer.close();
      vertx.close().await(60, TimeUnit.SECONDS);
      db.close();
    }
  }
}
