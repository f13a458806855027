package io.omninode.bridge.adapter.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * PostgreSQL connection, pool and migration settings.
 *
 * @param sslMode     libpq's {@code sslmode}: {@code disable}, {@code allow}, {@code prefer}, {@code require},
 *                    {@code verify-ca} or {@code verify-full}
 * @param sslRootCert libpq's {@code sslrootcert}: a PEM file of the CA(s) the server's certificate must chain
 *                    to; null when not given (then {@code require} encrypts without verifying)
 */
public record DatabaseSettings(
    String host,
    int port,
    String database,
    String user,
    String password,
    int poolSize,
    int pipeliningLimit,
    boolean migrate,
    String sslMode,
    String sslRootCert) {

  public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public static DatabaseSettings from(ConfigReader config) {
    String sslMode = config.string("ssl_mode").trim();
    if (!SSL_MODES.contains(sslMode)) {
      throw new ConfigException("database.ssl_mode", "must be one of " + String.join(", ", SSL_MODES)
          + ", got '" + sslMode + "'");
    }
    return new DatabaseSettings(
        config.string("host"),
        config.integer("port", 1, 65535),
        config.requiredString("database"),
        config.requiredString("user"),
        config.string("password"),
        config.integer("pool_size", 1, 1000),
        config.integer("pipelining_limit", 1, 1024),
        config.bool("migrate"),
        sslMode,
        sslRootCert(config, sslMode));
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

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + address() + ", pool_size=" + poolSize
        + ", migrate=" + migrate + ", ssl_mode=" + sslMode + (sslRootCert == null ? "" : ", ssl_root_cert=" + sslRootCert)
        + "]";
  }
}
