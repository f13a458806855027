package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("database.ssl_mode and ssl_root_cert as the reactive client's and pgjdbc's options")
class PgTlsTest {

  private static final String CA = "/etc/bridge/ca.pem";

  private static DatabaseSettings settings(String mode, String rootCert) {
    return new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", "", null, 4, 256, 0, true, mode, rootCert);
  }

  private static PgConnectOptions reactive(String mode, String rootCert) {
    return PgPools.connectOptions(settings(mode, rootCert));
  }

  @Test
  @DisplayName("disable: no TLS options at all, on either side")
  void disableUsesNoTls() {
    assertThat(reactive("disable", null).getSslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(reactive("disable", null).getSslOptions()).isNull();
    assertThat(PgTls.jdbcProperties(settings("disable", null))).containsExactly(Map.entry("sslmode", "disable"));
  }

  @ParameterizedTest(name = "{0}: TLS options present, trusting any certificate, no host-name check")
  @ValueSource(strings = {"allow", "prefer", "require"})
  void unverifiedModesTrustAnyCertificate(String mode) {
    PgConnectOptions options = reactive(mode, null);

    assertThat(options.getSslMode()).isEqualTo(SslMode.of(mode));
    assertThat(options.getSslOptions().isTrustAll()).isTrue();
    assertThat(options.getSslOptions().getHostnameVerificationAlgorithm()).isEmpty();
    assertThat(PgTls.jdbcProperties(settings(mode, null))).containsExactly(Map.entry("sslmode", mode));
  }

  @Test
  @DisplayName("allow and prefer with a root certificate still do not verify, as in libpq")
  void allowAndPreferIgnoreTheRootCertificate() {
    assertThat(reactive("prefer", CA).getSslOptions().isTrustAll()).isTrue();
    assertThat(PgTls.jdbcProperties(settings("allow", CA))).containsExactly(Map.entry("sslmode", "allow"));
  }

  @ParameterizedTest(name = "{0}: {1}, trusting only the root certificate, host-name check \"{2}\"")
  @DisplayName("verifying modes trust only the root certificate; require with one verifies the chain, as libpq does")
  @CsvSource({"require, verify-ca, ''", "verify-ca, verify-ca, ''", "verify-full, verify-full, HTTPS"})
  void verifyingModesTrustOnlyTheRootCertificate(String mode, String effective, String hostnameCheck) {
    PgConnectOptions options = reactive(mode, CA);

    assertThat(options.getSslMode()).isEqualTo(SslMode.of(effective));
    assertThat(options.getSslOptions().isTrustAll()).isFalse();
    assertThat(options.getSslOptions().getTrustOptions()).isInstanceOfSatisfying(PemTrustOptions.class,
        trust -> assertThat(trust.getCertPaths()).containsExactly(CA));
    assertThat(options.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo(hostnameCheck);
    assertThat(PgTls.jdbcProperties(settings(mode, CA)))
        .containsExactly(Map.entry("sslmode", effective), Map.entry("sslrootcert", CA));
  }

  @Test
  @DisplayName("both clients name their sessions bridge-db-adapter, keeping the client's other start-up properties")
  void sessionsAreNamed() {
    assertThat(reactive("disable", null).getProperties())
        .containsEntry("application_name", PgPools.APPLICATION_NAME)
        .containsEntry("client_encoding", "utf8");
    assertThat(Migrations.dataSource(settings("disable", null)).getApplicationName()).isEqualTo(PgPools.APPLICATION_NAME);
  }
}
