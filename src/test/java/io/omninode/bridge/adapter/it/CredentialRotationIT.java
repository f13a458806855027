package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.PasswordPostgres;
import io.omninode.bridge.adapter.testsupport.PasswordPostgres.Login;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adapter as operators run it (its own JVM) against a PostgreSQL that checks passwords, logging in
 * with {@code database.password_file}: the role's password and the file change together while it runs.
 */
@DisplayName("database.password_file: a password that changes while the adapter runs")
class CredentialRotationIT {

  private static final Logger log = LoggerFactory.getLogger(CredentialRotationIT.class);
  private static final Duration ROWS_WITHIN = Duration.ofMinutes(2);

  private static PasswordPostgres postgres;

  @TempDir
  Path secrets;
  private Login login;
  private Path passwordFile;
  private TestTopics topics;
  private AdapterProcess adapter;

  @BeforeAll
  static void startPostgresThatAsksForPasswords() throws Exception {
    postgres = PasswordPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @AfterEach
  void stopAdapter() throws Exception {
    if (adapter != null) {
      adapter.close();
    }
    if (topics != null) {
      topics.close();
    }
  }

  @Test
  @DisplayName("after the password and the file change and its sessions are ended, it logs in with the new one: no restart, no row lost, no dead letter")
  void reconnectsWithTheRotatedPassword() throws Exception {
    String first = password("first");
    String second = password("second");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(1_200, 31);
    List<TestEvents.Event> before = events.subList(0, 600);
    start("rotation", first, Map.of());
    topics.produce(before);
    awaitRows(before);
    log.atInfo().addKeyValue("events", before.size()).addKeyValue("rows", counts())
        .log("Rotation 1/3: written with the first password");

    postgres.changePassword(login, second);
    writePasswordFile(second);
    Instant rotated = Instant.now();
    long ended = postgres.terminateSessions(login, PgPools.APPLICATION_NAME);
    assertThat(postgres.refusal(login, first)).as("the first password after the change").hasValue("28P01");
    log.atInfo().addKeyValue("old_password", "refused, SQLSTATE 28P01").addKeyValue("sessions_ended", ended)
        .log("Rotation 2/3: password and file changed together, the adapter's sessions ended");

    topics.produce(events.subList(600, events.size()));
    awaitRows(events);

    assertThat(postgres.sessions(login, PgPools.APPLICATION_NAME, true, rotated)).as("sessions older than the change").isZero();
    long newSessions = postgres.sessions(login, PgPools.APPLICATION_NAME, false, rotated);
    assertThat(newSessions).as("sessions logged in with the second password").isPositive();
    assertNoRestartNoDeadLetterNoPassword(first, second);
    log.atInfo().addKeyValue("events", events.size()).addKeyValue("rows", counts())
        .addKeyValue("expected_rows", Expected.rowCounts(events)).addKeyValue("new_sessions", newSessions)
        .addKeyValue("dead_letters", 0).addKeyValue("restarts", 0)
        .log("Rotation 3/3: the second password used, rows exact");
  }

  @Test
  @DisplayName("a wrong password in the file keeps it alive and unready, /health names the refused login, and it recovers once the file is fixed")
  void wrongPasswordInTheFileRecoversOnceFixed() throws Exception {
    String right = password("right");
    String wrong = password("wrong");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(1_000, 37);
    List<TestEvents.Event> before = events.subList(0, 500);
    start("wrong-password", right, Map.of());
    topics.produce(before);
    awaitRows(before);

    writePasswordFile(wrong);
    postgres.terminateSessions(login, PgPools.APPLICATION_NAME);
    topics.produce(events.subList(500, events.size()));

    await().atMost(Duration.ofSeconds(30)).until(() -> adapter.get("/health/ready").statusCode() == 503);
    JsonObject database = new JsonObject(adapter.get("/health").body()).getJsonObject("checks").getJsonObject("database");
    assertThat(database.getString("status")).isEqualTo("UNHEALTHY");
    assertThat(database.getString("error"))
        .contains("the server refused the login of user '" + login.role() + "'")
        .contains("database.password_file " + passwordFile)
        .contains("password authentication failed")
        .doesNotContain(wrong).doesNotContain(right);
    assertThat(adapter.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(counts()).as("nothing written with the wrong password").isEqualTo(Expected.rowCounts(before));
    log.atInfo().addKeyValue("ready", 503).addKeyValue("health_database_error", database.getString("error"))
        .addKeyValue("rows", counts()).log("Wrong password in the file: alive, unready, the cause named");

    writePasswordFile(right);
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.get("/health/ready").statusCode() == 200);
    awaitRows(events);
    assertNoRestartNoDeadLetterNoPassword(right, wrong);
    log.atInfo().addKeyValue("events", events.size()).addKeyValue("rows", counts())
        .addKeyValue("expected_rows", Expected.rowCounts(events))
        .log("File fixed: ready again, rows exact, no dead letter, no restart");
  }

  @Test
  @DisplayName("with database.max_connection_lifetime_ms, its sessions are replaced by themselves and log in with the new password")
  void connectionsOlderThanTheirLifetimeAreReplaced() throws Exception {
    String first = password("first");
    String second = password("second");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(1_000, 41);
    List<TestEvents.Event> before = events.subList(0, 500);
    start("lifetime", first, Map.of("max_connection_lifetime_ms", 3_000));
    topics.produce(before);
    awaitRows(before);

    Set<Long> firstLogins = await().atMost(Duration.ofSeconds(30))
        .until(this::sessionsAfterAHealthCheck, pids -> !pids.isEmpty());
    postgres.changePassword(login, second);
    writePasswordFile(second);
    Instant rotated = Instant.now();
    // nothing ends a session here: only their lifetime can replace those that logged in with the first password
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
        Collections.disjoint(sessionsAfterAHealthCheck(), firstLogins)
            && postgres.sessions(login, PgPools.APPLICATION_NAME, false, rotated) > 0);
    long replacedWithinMs = Duration.between(rotated, Instant.now()).toMillis();
    topics.produce(events.subList(500, events.size()));
    awaitRows(events);

    assertNoRestartNoDeadLetterNoPassword(first, second);
    log.atInfo().addKeyValue("max_connection_lifetime_ms", 3_000).addKeyValue("first_password_sessions", firstLogins)
        .addKeyValue("replaced_within_ms", replacedWithinMs).addKeyValue("rows", counts())
        .addKeyValue("expected_rows", Expected.rowCounts(events))
        .log("Lifetime: the sessions of the first password replaced by sessions of the second, none ended, rows exact");
  }

  @Test
  @DisplayName("a wrong password in the file at start-up stops it in one line naming the file and the user, never a password")
  void wrongPasswordAtStartUpNamesTheFile() throws Exception {
    String right = password("right");
    String wrong = password("wrong");
    login = postgres.createLogin("start_refused", right);
    passwordFile = secrets.resolve("db-password");
    writePasswordFile(wrong);
    topics = TestTopics.create("it.start-refused." + UUID.randomUUID().toString().substring(0, 8));
    JsonObject config = config(Map.of());
    config.getJsonObject("http").put("port", Ports.free());

    adapter = AdapterProcess.launch("start-refused", config, Map.of(), List.of());

    assertThat(adapter.exitCode(Duration.ofSeconds(90))).isEqualTo(15);
    String output = adapter.output();
    assertThat(output).contains("Cannot start: Database migrations failed (database.ssl_mode=disable): the server "
            + "refused the login of user '" + login.role() + "' (password from database.password_file " + passwordFile + ")")
        .contains("password authentication failed").doesNotContain(wrong).doesNotContain(right);
    log.atInfo().addKeyValue("exit_code", 15).addKeyValue("line", output.lines()
        .filter(line -> line.contains("Cannot start")).findFirst().orElseThrow())
        .log("Wrong password at start-up: refused, naming the file");
  }

  private void start(String name, String password, Map<String, Object> database) throws Exception {
    login = postgres.createLogin(name.replace('-', '_'), password);
    passwordFile = secrets.resolve("db-password");
    writePasswordFile(password);
    topics = TestTopics.create("it." + name + "." + UUID.randomUUID().toString().substring(0, 8));
    adapter = AdapterProcess.startReady(AdapterProcess.Launch.of(name, config(database)));
  }

  /** The test's topics, the login's database with the password from the file, and quick recoveries. */
  private JsonObject config(Map<String, Object> database) {
    JsonObject db = new JsonObject().put("host", postgres.host()).put("port", postgres.port())
        .put("database", login.database()).put("user", login.role()).put("password_file", passwordFile.toString())
        .put("pool_size", 4).put("migrate", true);
    database.forEach(db::put);
    return topics.adapterConfig().put("database", db)
        .put("resilience", new JsonObject().put("breaker_reset_timeout_ms", 1_000).put("retry_max_ms", 1_000));
  }

  /** As the kubelet updates a mounted secret: the new content appears at once, whole, with the newline echo leaves. */
  private void writePasswordFile(String password) throws Exception {
    Path next = Files.writeString(secrets.resolve("db-password.next"), password + "\n");
    Files.move(next, passwordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String password(String name) {
    return name + "-" + UUID.randomUUID();
  }

  private void awaitRows(List<TestEvents.Event> events) throws Exception {
    Map<String, Long> expected = Expected.rowCounts(events);
    await().atMost(ROWS_WITHIN).until(this::counts, expected::equals);
    assertThat(counts()).isEqualTo(expected);
  }

  private Map<String, Long> counts() throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : Expected.rowCounts(List.of()).keySet()) {
      counts.put(table, postgres.queryLong(login, "SELECT count(*) FROM " + table));
    }
    return counts;
  }

  /** The adapter's sessions once its health check has used the pool, where the lifetime may have closed every idle one. */
  private Set<Long> sessionsAfterAHealthCheck() throws Exception {
    adapter.get("/health");
    return postgres.sessionPids(login, PgPools.APPLICATION_NAME);
  }

  /** The same process all along, nothing dead-lettered, and neither password in its log. */
  private void assertNoRestartNoDeadLetterNoPassword(String... passwords) throws Exception {
    assertThat(adapter.isAlive()).isTrue();
    assertThat(adapter.output().lines().filter(line -> line.contains("bridge-db-adapter started")))
        .as("start-ups in the adapter's log").hasSize(1);
    assertThat(topics.deadLetterCount()).as("dead letters").isZero();
    assertThat(adapter.consumer().getLong("dead_lettered")).isZero();
    for (String password : passwords) {
      assertThat(adapter.output()).as("the adapter's log").doesNotContain(password);
      assertThat(adapter.get("/health").body()).doesNotContain(password);
    }
  }
}
