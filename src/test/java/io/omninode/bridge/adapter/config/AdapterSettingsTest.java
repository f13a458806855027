package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdapterSettingsTest {

  private static JsonObject shippedConfig() throws Exception {
    return new JsonObject(Files.readString(Path.of("conf/config.json")));
  }

  @Test
  @DisplayName("the shipped conf/config.json is valid and gives the documented defaults")
  void shippedConfigIsValid() throws Exception {
    AdapterSettings settings = AdapterSettings.from(shippedConfig(), Map.of());

    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.kafka().groupId()).isEqualTo("database-adapter-effect-group");
    assertThat(settings.kafka().topics()).hasSize(9)
        .contains("dev.omninode-bridge.orchestrator.step-completed.v1", "dev.omninode-bridge.reducer.state-transition.v1");
    assertThat(settings.database().poolSize()).isEqualTo(20);
    assertThat(settings.database().migrate()).isTrue();
    assertThat(settings.resilience().breakerMaxFailures()).isEqualTo(5);
    assertThat(settings.resilience().breakerResetTimeoutMs()).isEqualTo(30_000);
    assertThat(settings.kafka().deadLetterTopic("dev.omninode-bridge.registry.node-heartbeat.v1"))
        .isEqualTo("dev.omninode-bridge.registry.node-heartbeat.v1.dlq");
  }

  @Test
  @DisplayName("retry delays grow exponentially with jitter and never pass the maximum")
  void retryDelaysGrowWithJitterUpToTheMaximum() throws Exception {
    ResilienceSettings resilience = AdapterSettings.from(shippedConfig().put("resilience",
        new JsonObject().put("retry_initial_ms", 100).put("retry_max_ms", 1_000)), Map.of()).resilience();

    for (int i = 0; i < 100; i++) {
      assertThat(resilience.retryDelayMs(0)).isBetween(50L, 100L);
      assertThat(resilience.retryDelayMs(2)).isBetween(200L, 400L);
      assertThat(resilience.retryDelayMs(30)).isBetween(500L, 1_000L);
    }
  }

  @Test
  @DisplayName("an empty dead-letter suffix is refused: dead letters would loop back into the source topic")
  void emptyDeadLetterSuffixIsRefused() throws Exception {
    JsonObject config = shippedConfig();
    config.getJsonObject("kafka").put("dead_letter_suffix", "");

    assertThatThrownBy(() -> AdapterSettings.from(config, Map.of())).hasMessageContaining("kafka.dead_letter_suffix");
  }

  @Test
  @DisplayName("BRIDGE_<SECTION>_<KEY> environment variables override the file")
  void environmentOverridesTheFile() throws Exception {
    AdapterSettings settings = AdapterSettings.from(shippedConfig(), Map.of(
        "BRIDGE_DATABASE_PASSWORD", "from-env",
        "BRIDGE_KAFKA_BOOTSTRAP_SERVERS", "broker:29092",
        "BRIDGE_HTTP_PORT", "9090",
        "BRIDGE_DATABASE_MIGRATE", "false",
        "BRIDGE_KAFKA_TOPIC_PREFIX", "prod.acme"));

    assertThat(settings.database().password()).isEqualTo("from-env");
    assertThat(settings.kafka().bootstrapServers()).isEqualTo("broker:29092");
    assertThat(settings.http().port()).isEqualTo(9090);
    assertThat(settings.database().migrate()).isFalse();
    assertThat(settings.kafka().topics()).allMatch(topic -> topic.startsWith("prod.acme."));
  }

  @Test
  void invalidValueStopsStartUpNamingTheKey() throws Exception {
    assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_PORT", "five")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("database.port");
    assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
  }

  @Test
  void missingRequiredValueStopsStartUpNamingTheKey() {
    JsonObject config = new JsonObject().put("database", new JsonObject().put("database", "bridge_db").put("user", "u"));

    assertThatThrownBy(() -> AdapterSettings.from(config, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrap_servers");
  }

  @Test
  @DisplayName("the shipped config connects without TLS, as before database.ssl_root_cert existed")
  void shippedConfigDisablesTls() throws Exception {
    DatabaseSettings database = AdapterSettings.from(shippedConfig(), Map.of()).database();

    assertThat(database.sslMode()).isEqualTo("disable");
    assertThat(database.sslRootCert()).isNull();
  }

  @Test
  @DisplayName("database.ssl_mode takes exactly libpq's values; anything else stops start-up naming the key")
  void unknownSslModeIsRefused() throws Exception {
    for (String mode : DatabaseSettings.SSL_MODES) {
      String rootCert = mode.startsWith("verify-") ? "conf/config.json" : "";
      assertThat(AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_SSL_MODE", mode,
          "BRIDGE_DATABASE_SSL_ROOT_CERT", rootCert)).database().sslMode()).isEqualTo(mode);
    }
    for (String mode : new String[] {"true", "on", "VERIFY_FULL", "verify-full-please", ""}) {
      assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_SSL_MODE", mode)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("database.ssl_mode").hasMessageContaining("verify-full");
    }
  }

  @Test
  @DisplayName("verify-ca and verify-full without database.ssl_root_cert stop start-up naming the key")
  void verifyingModesNeedARootCertificate() {
    for (String mode : new String[] {"verify-ca", "verify-full"}) {
      assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_SSL_MODE", mode)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("database.ssl_root_cert").hasMessageContaining(mode);
    }
  }

  @Test
  @DisplayName("a database.ssl_root_cert that cannot be read stops start-up naming the key and the path")
  void unreadableRootCertificateIsRefused() {
    assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_SSL_MODE", "verify-full",
        "BRIDGE_DATABASE_SSL_ROOT_CERT", "/nonexistent/ca.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("database.ssl_root_cert").hasMessageContaining("/nonexistent/ca.pem");
  }

  @Test
  @DisplayName("BRIDGE_DATABASE_SSL_ROOT_CERT gives the root certificate; require keeps it (libpq then verifies the chain)")
  void rootCertificateFromTheEnvironment(@TempDir Path directory) throws Exception {
    Path ca = Files.writeString(directory.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

    DatabaseSettings database = AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_SSL_MODE", "require",
        "BRIDGE_DATABASE_SSL_ROOT_CERT", ca.toString())).database();

    assertThat(database.sslRootCert()).isEqualTo(ca.toString());
    assertThat(database.toString()).contains("ssl_mode=require", "ssl_root_cert=" + ca);
  }

  @Test
  void passwordIsNeverPrinted() throws Exception {
    AdapterSettings settings = AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_PASSWORD", "s3cret"));

    assertThat(settings.database().toString()).doesNotContain("s3cret");
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("database.password and database.password_file together stop start-up in one line naming both keys")
  void passwordAndPasswordFileTogetherAreRefused(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "from-file\n");

    assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_PASSWORD", "inline",
        "BRIDGE_DATABASE_PASSWORD_FILE", file.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("database.password_file")
        .hasMessageContaining("database.password:").hasMessageNotContaining("inline").hasMessageNotContaining("\n");
  }

  @Test
  @DisplayName("a database.password_file that cannot be read stops start-up naming the key and the path")
  void unreadablePasswordFileIsRefused(@TempDir Path directory) {
    for (String path : new String[] {"/nonexistent/db-password", directory.toString()}) {
      assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_PASSWORD", "",
          "BRIDGE_DATABASE_PASSWORD_FILE", path)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("database.password_file").hasMessageContaining(path);
    }
  }

  @Test
  @DisplayName("with database.password_file, the settings name the file and never hold or print its content")
  void passwordFileIsNamedNotRead(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "s3cret-in-file\n");

    DatabaseSettings database = AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_PASSWORD", "",
        "BRIDGE_DATABASE_PASSWORD_FILE", file.toString())).database();

    assertThat(database.passwordFile()).isEqualTo(file.toString());
    assertThat(database.password()).isEmpty();
    assertThat(database.passwordSource()).isEqualTo("database.password_file " + file);
    assertThat(database.toString()).contains("password_file=" + file).doesNotContain("s3cret-in-file");
  }

  @Test
  @DisplayName("database.max_connection_lifetime_ms: 0 (the default) is no limit; below a second is refused, as the pool would not keep it")
  void connectionLifetime() throws Exception {
    assertThat(AdapterSettings.from(shippedConfig(), Map.of()).database().maxConnectionLifetimeMs()).isZero();
    assertThat(AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_MAX_CONNECTION_LIFETIME_MS", "600000"))
        .database().maxConnectionLifetimeMs()).isEqualTo(600_000);
    for (String lifetime : new String[] {"1", "999", "-1"}) {
      assertThatThrownBy(() -> AdapterSettings.from(shippedConfig(), Map.of("BRIDGE_DATABASE_MAX_CONNECTION_LIFETIME_MS",
          lifetime))).isInstanceOf(ConfigException.class).hasMessageContaining("database.max_connection_lifetime_ms");
    }
  }

  @Test
  @DisplayName("every key with a default is documented in the README's table, and every documented key exists")
  void readmeDocumentsExactlyTheKeys() throws Exception {
    JsonObject defaults = new JsonObject(new String(
        AdapterSettingsTest.class.getResourceAsStream("/defaults.json").readAllBytes(), StandardCharsets.UTF_8));
    Set<String> withDefaults = new TreeSet<>();
    defaults.forEach(section -> ((JsonObject) section.getValue()).fieldNames()
        .forEach(key -> withDefaults.add(section.getKey() + "." + key)));
    Set<String> required = Set.of("kafka.bootstrap_servers", "database.database", "database.user",
        "database.ssl_root_cert");
    Set<String> derivedFromPrefix = Set.of("kafka.topics", "kafka.redrive_log_topic");

    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = Pattern.compile("^\\| `([a-z]+)\\.([a-z_]+)`((?: / `[a-z_]+`)*) \\|").matcher(line);
      if (row.find()) {
        documented.add(row.group(1) + "." + row.group(2));
        Matcher more = Pattern.compile("`([a-z_]+)`").matcher(row.group(3));
        while (more.find()) {
          documented.add(row.group(1) + "." + more.group(1));
        }
      }
    }

    Set<String> keys = new TreeSet<>(withDefaults);
    keys.addAll(required);
    keys.addAll(derivedFromPrefix);
    assertThat(documented).isEqualTo(keys);
  }
}
