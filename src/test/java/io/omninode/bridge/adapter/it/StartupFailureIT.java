package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Against the adapter as operators run it: its own JVM, the launcher, the shipped JSON logging. */
@DisplayName("A start-up that cannot succeed says why in one line and exits non-zero")
class StartupFailureIT {

  private static final int EXIT_SOFTWARE = 1;
  private static final int EXIT_DEPLOYMENT = 15;
  private static final int SIGTERM_EXIT = 128 + 15;
  private static final Duration BOUND = Duration.ofSeconds(60);

  /** A database and topics that work, so that each test breaks only what it is about. */
  private static AdapterFixture fixture;

  @BeforeAll
  static void createDatabase() throws Exception {
    fixture = new AdapterFixture("startup_failure");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    fixture.close();
  }

  static Stream<Arguments> invalidEnvironments() {
    return Stream.of(
        arguments("BRIDGE_DATABASE_DATABASE", "", "Invalid configuration 'database.database': is required"),
        arguments("BRIDGE_DATABASE_PORT", "abc", "Invalid configuration 'database.port': must be an integer, got 'abc'"));
  }

  @ParameterizedTest(name = "{0}=\"{1}\"")
  @MethodSource("invalidEnvironments")
  @DisplayName("a required key left empty or a value of the wrong type is named, with the value")
  void invalidValueIsNamed(String variable, String value, String cause) throws Exception {
    try (AdapterProcess adapter = AdapterProcess.launch("invalid-" + variable.toLowerCase(), config(),
        Map.of(variable, value), List.of())) {
      assertRefused(adapter, EXIT_SOFTWARE, cause);
    }
  }

  @Test
  @DisplayName("a -conf naming a missing file names the file, not the keys it would have held")
  void missingConfigFileIsNamed() throws Exception {
    String missing = Path.of("target", "adapter-processes", "no-such-config.json").toString();
    try (AdapterProcess adapter = AdapterProcess.launchWith("missing-conf", Ports.free(), Map.of(),
        List.of("-conf", missing))) {
      assertRefused(adapter, EXIT_SOFTWARE, "the -conf file " + missing + " could not be read: no such file");
      assertThat(adapter.output()).doesNotContain("Invalid configuration", "does not point to");
    }
  }

  @Test
  @DisplayName("a database that refuses connections is named by host:port/database, with the reason")
  void unreachableDatabaseIsNamed() throws Exception {
    int closedPort = Ports.free();
    JsonObject config = config();
    String host = config.getJsonObject("database").put("port", closedPort).getString("host");
    try (AdapterProcess adapter = AdapterProcess.launch("no-database", config, Map.of(), List.of())) {
      assertRefused(adapter, EXIT_DEPLOYMENT, "cannot connect to database " + host + ":" + closedPort + "/"
          + fixture.database + " for migrations: Connection to " + host + ":" + closedPort + " refused");
    }
  }

  @Test
  @DisplayName("an HTTP port in use is named as http.port")
  void portInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      JsonObject config = config();
      config.getJsonObject("http").put("port", taken.getLocalPort());
      try (AdapterProcess adapter = AdapterProcess.launch("port-in-use", config, Map.of(), List.of())) {
        assertRefused(adapter, EXIT_DEPLOYMENT, "cannot listen on http.port " + taken.getLocalPort()
            + ": Address already in use");
      }
    }
  }

  @Test
  @DisplayName("SIGTERM while migrations wait on a silent database is a clean stop, not a failure")
  void sigtermDuringMigrationsIsACleanStop() throws Exception {
    // accepts connections and never answers: the migrations wait
    try (ServerSocket silentDatabase = new ServerSocket(0)) {
      JsonObject config = config();
      config.getJsonObject("database").put("port", silentDatabase.getLocalPort());
      try (AdapterProcess adapter = AdapterProcess.launch("stop-during-migrations", config, Map.of(), List.of())) {
        await().atMost(BOUND).until(() -> adapter.output().contains("Starting bridge-db-adapter"));

        int exitCode = adapter.terminate(BOUND);
        List<JsonObject> lines = adapter.logLines();

        assertThat(exitCode).isEqualTo(SIGTERM_EXIT);
        assertThat(lines).extracting(line -> line.getString("message")).contains("Shut down cleanly")
            .noneMatch(message -> message.startsWith("Cannot start"));
        assertThat(lines).noneMatch(line -> "ERROR".equals(line.getString("level")));
      }
    }
  }

  private static JsonObject config() throws Exception {
    JsonObject config = fixture.config.copy();
    config.getJsonObject("http").put("port", Ports.free());
    return config;
  }

  /** One ERROR line naming the cause, nothing from the launcher, no stack trace, and the exit code. */
  private static void assertRefused(AdapterProcess adapter, int exitCode, String cause) throws Exception {
    int exited = adapter.exitCode(BOUND);
    List<JsonObject> lines = adapter.logLines();

    assertThat(exited).as("exit code, -1 while still running").isEqualTo(exitCode);
    assertThat(lines).filteredOn(line -> "ERROR".equals(line.getString("level")))
        .singleElement().satisfies(line -> assertThat(line.getString("message"))
            .startsWith("Cannot start: ").contains(cause));
    assertThat(lines).filteredOn(line -> "WARN".equals(line.getString("level"))).isEmpty();
    assertThat(lines).noneMatch(line -> line.containsKey("stack_trace"))
        .noneMatch(line -> line.getString("logger_name", "").startsWith("io.vertx.launcher"));
  }
}
