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
 * The one place that decides where the tests' PostgreSQL and Kafka come from, each started once per
 * JVM and only when a test asks for it (the unit and component tiers never start a broker). With a
 * Docker engine: Testcontainers ({@code postgres:15}, {@code apache/kafka:3.9.1}). Without one: the
 * machine's PostgreSQL at 127.0.0.1:5432 and an in-process KRaft broker. Never skipped: if neither
 * works the tests fail with the reason. {@code -Dbridge.test.env=local|docker} forces a choice.
 */
public final class TestEnvironment {

  private static final Logger log = LoggerFactory.getLogger(TestEnvironment.class);
  private static final String POSTGRES_IMAGE = "postgres:15";
  private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";

  private static PgTarget postgres;
  private static String bootstrapServers;
  private static EmbeddedKafkaBroker broker;

  private TestEnvironment() {
  }

  public static synchronized PgTarget postgres() {
    if (postgres == null) {
      postgres = useDocker() ? startPostgresContainer() : localPostgres();
    }
    return postgres;
  }

  public static synchronized String kafkaBootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = useDocker() ? startKafkaContainer() : startEmbeddedBroker();
    }
    return bootstrapServers;
  }

  /** The in-process broker, for tests that restart it; fails on the Docker path, which has none. */
  public static synchronized EmbeddedKafkaBroker embeddedBroker() {
    kafkaBootstrapServers();
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

  private static boolean useDocker() {
    String forced = System.getProperty("bridge.test.env", "");
    if (!forced.isBlank()) {
      return forced.equals("docker");
    }
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @SuppressWarnings("resource")
  private static PgTarget startPostgresContainer() {
    log.info("Test PostgreSQL: Testcontainers {}", POSTGRES_IMAGE);
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>(POSTGRES_IMAGE);
    container.start();
    return new PgTarget(container.getHost(), container.getMappedPort(5432), container.getUsername(),
        container.getPassword());
  }

  @SuppressWarnings("resource")
  private static String startKafkaContainer() {
    log.info("Test Kafka: Testcontainers {}", KAFKA_IMAGE);
    KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
    container.start();
    return container.getBootstrapServers();
  }

  private static PgTarget localPostgres() {
    PgTarget target = new PgTarget("127.0.0.1", 5432, "postgres", "");
    try (Connection ignored = DriverManager.getConnection(target.jdbcUrl("postgres"), target.user(), target.password())) {
      log.info("Test PostgreSQL: no Docker; the local server at {}:{}", target.host(), target.port());
      return target;
    } catch (SQLException e) {
      throw new IllegalStateException("No Docker engine and no PostgreSQL at 127.0.0.1:5432 (start it with "
          + "`pg_ctlcluster --skip-systemctl-redirect 15 main start`)", e);
    }
  }

  private static String startEmbeddedBroker() {
    try {
      broker = new EmbeddedKafkaBroker().start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
      log.info("Test Kafka: no Docker; an in-process KRaft broker at {}", broker.bootstrapServers());
      return broker.bootstrapServers();
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the in-process Kafka broker", e);
    }
  }
}
