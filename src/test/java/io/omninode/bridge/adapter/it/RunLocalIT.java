package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.Ports;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command on a machine without a PostgreSQL of its own: {@code scripts/run-local.sh} with the
 * embedded database forced, every port and the {@code .local} directory of the test's choosing, so that it runs
 * beside a developer's stack or the benchmark on the default ports (5432, 8080, 9092, 9093) without touching them.
 */
@DisplayName("scripts/run-local.sh runs the whole local stack on an embedded PostgreSQL and stops all of it")
class RunLocalIT {

  private static final Logger log = LoggerFactory.getLogger(RunLocalIT.class);
  private static final Set<Integer> DEFAULT_PORTS = Set.of(5432, 8080, 9092, 9093);
  /** One row per sample entity: two workflows (one completes, one fails), one of everything else. */
  private static final Map<String, Long> SAMPLE_ROWS = samples();

  @TempDir
  Path work;

  @Test
  @DisplayName("every table gets its sample rows on the embedded PostgreSQL 14.22, and stop leaves nothing running")
  void samplesLandInEmbeddedPostgresAndStopLeavesNothingRunning() throws Exception {
    List<Integer> ports = freePorts();
    int postgresPort = ports.get(0);
    Path local = Files.createDirectory(work.resolve("local"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))); // the server may run as nobody
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> environment = Map.of("LOCAL_POSTGRES", "embedded", "LOCAL_DIR", local.toString(),
        "BRIDGE_DATABASE_PORT", String.valueOf(postgresPort), "KAFKA_PORT", String.valueOf(ports.get(1)),
        "KAFKA_CONTROLLER_PORT", String.valueOf(ports.get(2)), "BRIDGE_HTTP_PORT", String.valueOf(ports.get(3)));
    List<Path> pidFiles = List.of(local.resolve("adapter/adapter.pid"), local.resolve("kafka/broker.pid"),
        local.resolve("postgres/data/postmaster.pid"));
    List<ProcessHandle> started;
    try {
      long begin = System.nanoTime();
      String output = runLocal(environment, "start");
      log.info("run-local.sh start took {} s from a fresh LOCAL_DIR", (System.nanoTime() - begin) / 1_000_000_000);
      assertThat(output).contains("PostgreSQL: embedded PostgreSQL on 127.0.0.1:" + postgresPort);
      started = pidFiles.stream().map(RunLocalIT::process).toList();
      assertThat(started).allSatisfy(process -> assertThat(process.isAlive()).isTrue());
      try (Connection connection = DriverManager.getConnection(
          "jdbc:postgresql://127.0.0.1:" + postgresPort + "/bridge_db", "postgres", "")) {
        assertThat(text(connection, "SHOW server_version")).isEqualTo("14.22");
        assertThat(rowCounts(connection)).isEqualTo(SAMPLE_ROWS);
        assertThat(text(connection, "SELECT string_agg(current_state, ',' ORDER BY current_state) FROM workflow_executions"))
            .isEqualTo("COMPLETED,FAILED");
      }
    } finally {
      runLocal(environment, "stop");
    }
    List<ProcessHandle> left = started.stream().filter(ProcessHandle::isAlive).toList();
    left.forEach(ProcessHandle::destroy); // a failure here must not leave servers behind
    assertThat(left).as("processes still running after run-local.sh stop").isEmpty();
    assertThat(ports).allSatisfy(port -> assertThat(listening(port)).as("port %d", port).isFalse());
    assertThat(runLocal(environment, "status")).contains("broker: stopped", "adapter: stopped", "postgres: stopped");
  }

  /** Four distinct free ports, none of the defaults that another stack on this machine may be using. */
  private static List<Integer> freePorts() {
    Set<Integer> ports = new LinkedHashSet<>();
    while (ports.size() < 4) {
      int port = Ports.free();
      if (!DEFAULT_PORTS.contains(port)) {
        ports.add(port);
      }
    }
    return List.copyOf(ports);
  }

  /** Runs the script to its end; its output goes to a file, never a pipe the servers it starts could hold open. */
  private String runLocal(Map<String, String> environment, String command) throws IOException, InterruptedException {
    Path output = work.resolve("run-local-" + command + ".log");
    ProcessBuilder builder = new ProcessBuilder("bash", "scripts/run-local.sh", command)
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    String text = Files.readString(output);
    assertThat(process.exitValue()).as("run-local.sh %s exit code; its output:%n%s", command, text).isZero();
    return text;
  }

  private static ProcessHandle process(Path pidFile) {
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(pidFile + " names pid " + pid + ", not running"));
    } catch (IOException e) {
      throw new AssertionError("run-local.sh wrote no " + pidFile, e);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, Long> rowCounts(Connection connection) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : SAMPLE_ROWS.keySet()) {
      counts.put(table, Long.parseLong(text(connection, "SELECT count(*) FROM " + table)));
    }
    return counts;
  }

  private static String text(Connection connection, String query) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getString(1);
    }
  }

  private static Map<String, Long> samples() {
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("workflow_executions", 2L);
    for (String table : List.of("workflow_steps", "metadata_stamps", "fsm_transitions", "bridge_states",
        "node_registrations")) {
      rows.put(table, 1L);
    }
    return rows;
  }
}
