package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq's {@code sslmode} and {@code sslrootcert} as the reactive client's and pgjdbc's options, so that
 * the pool and the migrations connect alike. As in libpq, {@code require} with a root certificate
 * verifies the chain ({@code verify-ca}); {@code allow}, {@code prefer} and {@code require} without one
 * encrypt without verifying.
 */
final class PgTls {

  private PgTls() {
  }

  /** The mode both clients are given. */
  static String effectiveMode(DatabaseSettings settings) {
    if (settings.sslMode().equals("require") && settings.sslRootCert() != null) {
      return "verify-ca";
    }
    return settings.sslMode();
  }

  /** Whether every connection must be encrypted (no plain fallback). */
  static boolean requiresTls(DatabaseSettings settings) {
    return settings.sslMode().equals("require") || verifies(settings.sslMode());
  }

  static PgConnectOptions configure(PgConnectOptions options, DatabaseSettings settings) {
    String mode = effectiveMode(settings);
    options.setSslMode(SslMode.of(mode));
    if (!mode.equals("disable")) {
      // the client dereferences these whenever a connection may use TLS (allow and prefer included)
      options.setSslOptions(sslOptions(settings, mode));
    }
    return options;
  }

  /** pgjdbc's connection properties. */
  static Map<String, String> jdbcProperties(DatabaseSettings settings) {
    String mode = effectiveMode(settings);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("sslmode", mode);
    if (verifies(mode)) {
      properties.put("sslrootcert", settings.sslRootCert());
    }
    return properties;
  }

  private static ClientSSLOptions sslOptions(DatabaseSettings settings, String mode) {
    if (!verifies(mode)) {
      return new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
    }
    return new ClientSSLOptions()
        .setTrustOptions(new PemTrustOptions().addCertPath(settings.sslRootCert()))
        .setHostnameVerificationAlgorithm(mode.equals("verify-full") ? "HTTPS" : "");
  }

  private static boolean verifies(String mode) {
    return mode.startsWith("verify-");
  }
}
