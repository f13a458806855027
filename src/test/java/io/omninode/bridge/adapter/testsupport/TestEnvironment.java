package io.omninode.bridge.adapter.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The one place that decides where the tests' PostgreSQL and Kafka come from, started once per JVM.
 * With a Docker engine: Testcontainers ({@code postgres:15}, {@code apache/kafka:3.9.1}). Without one:
 * the machine's PostgreSQL at 127.0.0.1:5432 and an in-process KRaft broker. Never skipped: if neither
 * works the tests fail with the reason. {@code -Dbridge.test.env=local|docker} forces a choice.
 */
public final class TestEnvironment {

  private static final Logger log = LoggerFactory.getLogger(TestEnvironment.class);
  private static final String POSTGRES_IMAGE = "postgres:15";
  private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";

  private static Environment environment;

  private TestEnvironment() {
  }

  private record Environment(PgTarget postgres, String bootstrapServers, EmbeddedKafkaBroker broker) {
  }

  public static String kafkaBootstrapServers() {
    return environment().bootstrapServers();
  }

  public static PgTarget postgres() {
    return environment().postgres();
  }

  /** The in-process broker, for tests that restart it; fails on the Docker path, which has none. */
  public static EmbeddedKafkaBroker embeddedBroker() {
    EmbeddedKafkaBroker broker = environment().broker();
    if (broker == null) {
      throw new IllegalStateException("the Kafka broker runs in a container, not in process");
    }
    return broker;
  }

  /** Creates a fresh, empty database whose name starts with {@code prefix}; returns its name. */
  public static String createDatabase(String prefix) throws SQLException {
    String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
        + UUID.randomUUID().toString().substring(0, 8));
    executeOnServer("CREATE DATABASE " + name);
    return name;
  }

  public static void dropDatabase(String name) throws SQLException {
    executeOnServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** Runs one statement as the superuser on the server's {@code postgres} database (to cut or restore a database). */
  public static void executeOnServer(String sql) throws SQLException {
    PgTarget pg = postgres();
    try (Connection connection = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static synchronized Environment environment() {
    if (environment == null) {
      environment = useDocker() ? startContainers() : startLocal();
    }
    return environment;
  }

  private static boolean useDocker() {
    String forced = System.getProperty("bridge.test.env", "");
    if (!forced.isBlank()) {
      return forced.equals("docker");
    }
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @SuppressWarnings("resource")
  private static Environment startContainers() {
    log.info("Test environment: Testcontainers {} and {}", POSTGRES_IMAGE, KAFKA_IMAGE);
    PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(POSTGRES_IMAGE);
    KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    postgres.start();
    kafka.start();
    PgTarget target = new PgTarget(postgres.getHost(), postgres.getMappedPort(5432),
        postgres.getUsername(), postgres.getPassword());
    return new Environment(target, kafka.getBootstrapServers(), null);
  }

  private static Environment startLocal() {
    PgTarget target = new PgTarget("127.0.0.1", 5432, "postgres", "");
    try (Connection ignored = DriverManager.getConnection(target.jdbcUrl("postgres"), target.user(), target.password())) {
      log.info("Test environment: no Docker; local PostgreSQL at {}:{} and an in-process KRaft broker",
          target.host(), target.port());
    } catch (SQLException e) {
      throw new IllegalStateException("No Docker engine and no PostgreSQL at 127.0.0.1:5432 (start it with "
          + "`pg_ctlcluster --skip-systemctl-redirect 15 main start`)", e);
    }
    try {
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
      return new Environment(target, broker.bootstrapServers(), broker);
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the in-process Kafka broker", e);
    }
  }
}
