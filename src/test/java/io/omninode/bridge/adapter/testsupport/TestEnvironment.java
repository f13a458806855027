package io.omninode.bridge.adapter.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that decides where the tests' PostgreSQL and Kafka come from, each started once per
 * JVM and only when a test asks for it (the unit and component tiers never start a broker). PostgreSQL:
 * Testcontainers ({@code postgres:15}) with a Docker engine; else the machine's server at 127.0.0.1:5432 when it
 * answers; else an embedded PostgreSQL 14.22 ({@link PrivatePostgres}) of this JVM. Kafka: Testcontainers
 * ({@code apache/kafka:3.9.1}) with Docker, else an in-process KRaft broker. Never skipped: if the choice cannot
 * start, the tests fail with the reason. {@code -Dbridge.test.env=docker|local|embedded} forces a choice.
 */
public final class TestEnvironment {

  private static final Logger log = LoggerFactory.getLogger(TestEnvironment.class);
  private static final String POSTGRES_IMAGE = "postgres:15";
  private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
  private static final PgTarget LOCAL_SERVER = new PgTarget("127.0.0.1", 5432, "postgres", "");

  private enum Choice { DOCKER, LOCAL, EMBEDDED }

  private static PgTarget postgres;
  private static String bootstrapServers;
  private static EmbeddedKafkaBroker broker;

  private TestEnvironment() {
  }

  public static synchronized PgTarget postgres() {
    if (postgres == null) {
      postgres = switch (postgresChoice()) {
        case DOCKER -> startPostgresContainer();
        case LOCAL -> localPostgres();
        case EMBEDDED -> startEmbeddedPostgres();
      };
    }
    return postgres;
  }

  public static synchronized String kafkaBootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = forced().map(Choice.DOCKER::equals).orElseGet(TestEnvironment::dockerAvailable)
          ? startKafkaContainer() : startEmbeddedBroker();
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

  private static Choice postgresChoice() {
    Optional<Choice> forced = forced();
    if (forced.isPresent()) {
      return forced.get();
    }
    if (dockerAvailable()) {
      return Choice.DOCKER;
    }
    return localServerRefusal().isEmpty() ? Choice.LOCAL : Choice.EMBEDDED;
  }

  private static Optional<Choice> forced() {
    String forced = System.getProperty("bridge.test.env", "").trim();
    if (forced.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Choice.valueOf(forced.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-Dbridge.test.env=" + forced + ": expected docker, local or embedded", e);
    }
  }

  private static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Why the superuser cannot log in to the local server, or nothing when it can. */
  private static Optional<String> localServerRefusal() {
    try (Connection ignored = DriverManager.getConnection(LOCAL_SERVER.jdbcUrl("postgres"), LOCAL_SERVER.user(),
        LOCAL_SERVER.password())) {
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(e.getMessage());
    }
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
    localServerRefusal().ifPresent(refusal -> {
      throw new IllegalStateException("The local PostgreSQL at 127.0.0.1:5432 does not let postgres in: " + refusal
          + " (start it with `pg_ctlcluster --skip-systemctl-redirect 15 main start`)");
    });
    log.info("Test PostgreSQL: the local server at {}:{} ({})", LOCAL_SERVER.host(), LOCAL_SERVER.port(),
        forced().isPresent() ? "-Dbridge.test.env=local" : "no Docker");
    return LOCAL_SERVER;
  }

  /** A cluster of this JVM's own: every run starts from an empty server, and two builds never share one. */
  @SuppressWarnings("resource")
  private static PgTarget startEmbeddedPostgres() {
    try {
      PrivatePostgres embedded = PrivatePostgres.create(Ports.free())
          .start(Map.of("fsync", "off")); // deleted at exit: nothing to keep safe from a crash
      log.info("Test PostgreSQL: embedded PostgreSQL {} at {}:{} ({}), data in {} (deleted at exit)",
          PostgresBinaries.VERSION, embedded.target().host(), embedded.target().port(),
          forced().isPresent() ? "-Dbridge.test.env=embedded"
              : "no Docker; 127.0.0.1:5432: " + localServerRefusal().orElse("answers now"),
          embedded.dataDirectory());
      return embedded.target();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the embedded PostgreSQL", e);
    }
  }

  private static String startEmbeddedBroker() {
    try {
      broker = new EmbeddedKafkaBroker().start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
      log.info("Test Kafka: an in-process KRaft broker at {}", broker.bootstrapServers());
      return broker.bootstrapServers();
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the in-process Kafka broker", e);
    }
  }
}
