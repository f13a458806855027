package io.omninode.bridge.adapter.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * PostgreSQL connection, pool and migration settings.
 *
 * @param password                the password when it is given inline; "" when it comes from {@code passwordFile}
 * @param passwordFile            a file whose content is the password, read again for every new connection (a
 *                                mounted secret, a token a sidecar refreshes); null when not given
 * @param maxConnectionLifetimeMs a connection older than this is closed once idle and replaced; 0: no limit
 * @param sslMode                 libpq's {@code sslmode}: {@code disable}, {@code allow}, {@code prefer},
 *                                {@code require}, {@code verify-ca} or {@code verify-full}
 * @param sslRootCert             libpq's {@code sslrootcert}: a PEM file of the CA(s) the server's certificate must
 *                                chain to; null when not given (then {@code require} encrypts without verifying)
 */
public record DatabaseSettings(
    String host,
    int port,
    String database,
    String user,
    String password,
    String passwordFile,
    int poolSize,
    int pipeliningLimit,
    int maxConnectionLifetimeMs,
    boolean migrate,
    String sslMode,
    String sslRootCert) {

  public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  /** The pool looks for connections past their lifetime once a second: a shorter lifetime would not be kept. */
  public static final int MIN_CONNECTION_LIFETIME_MS = 1_000;

  public static DatabaseSettings from(ConfigReader config) {
    String sslMode = config.string("ssl_mode").trim();
    if (!SSL_MODES.contains(sslMode)) {
      throw new ConfigException("database.ssl_mode", "must be one of " + String.join(", ", SSL_MODES)
          + ", got '" + sslMode + "'");
    }
    String password = Objects.requireNonNullElse(config.string("password"), "");
    return new DatabaseSettings(
        config.string("host"),
        config.integer("port", 1, 65535),
        config.requiredString("database"),
        config.requiredString("user"),
        password,
        passwordFile(config, password),
        config.integer("pool_size", 1, 1000),
        config.integer("pipelining_limit", 1, 1024),
        maxConnectionLifetimeMs(config),
        config.bool("migrate"),
        sslMode,
        sslRootCert(config, sslMode));
  }

  private static String passwordFile(ConfigReader config, String password) {
    String path = Objects.requireNonNullElse(config.string("password_file"), "").trim();
    if (path.isEmpty()) {
      return null;
    }
    if (!password.isEmpty()) {
      throw new ConfigException("database.password_file", "cannot be used with database.password: set one of them");
    }
    if (!Files.isRegularFile(Path.of(path)) || !Files.isReadable(Path.of(path))) {
      throw new ConfigException("database.password_file", "'" + path + "' is not a readable file");
    }
    return path;
  }

  private static int maxConnectionLifetimeMs(ConfigReader config) {
    int lifetime = config.integer("max_connection_lifetime_ms", 0, Integer.MAX_VALUE);
    if (lifetime > 0 && lifetime < MIN_CONNECTION_LIFETIME_MS) {
      throw new ConfigException("database.max_connection_lifetime_ms", "must be 0 (no limit) or at least "
          + MIN_CONNECTION_LIFETIME_MS + ", got " + lifetime);
    }
    return lifetime;
  }

  private static String sslRootCert(ConfigReader config, String sslMode) {
    String path = Objects.requireNonNullElse(config.string("ssl_root_cert"), "").trim();
    if (path.isEmpty()) {
      if (sslMode.startsWith("verify-")) {
        throw new ConfigException("database.ssl_root_cert", "is required with ssl_mode " + sslMode
            + ": the PEM file of the CA that signed the server's certificate");
      }
      return null;
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException("database.ssl_root_cert", "'" + path + "' is not a readable file");
    }
    return path;
  }

  /** {@code host:port/database}, as a failure names it. */
  public String address() {
    return host + ":" + port + "/" + database;
  }

  /** Where the password comes from, by key, as a refused login names it: never the password itself. */
  public String passwordSource() {
    return passwordFile == null ? "database.password" : "database.password_file " + passwordFile;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + address() + ", pool_size=" + poolSize
        + (passwordFile == null ? "" : ", password_file=" + passwordFile)
        + (maxConnectionLifetimeMs == 0 ? "" : ", max_connection_lifetime_ms=" + maxConnectionLifetimeMs)
        + ", migrate=" + migrate + ", ssl_mode=" + sslMode + (sslRootCert == null ? "" : ", ssl_root_cert=" + sslRootCert)
        + "]";
  }
}
