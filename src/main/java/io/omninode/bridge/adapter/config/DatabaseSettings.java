package io.omninode.bridge.adapter.config;

/** PostgreSQL connection, pool and migration settings. */
public record DatabaseSettings(
    String host,
    int port,
    String database,
    String user,
    String password,
    int poolSize,
    int pipeliningLimit,
    boolean migrate,
    String sslMode) {

  public static DatabaseSettings from(ConfigReader config) {
    return new DatabaseSettings(
        config.string("host"),
        config.integer("port", 1, 65535),
        config.requiredString("database"),
        config.requiredString("user"),
        config.string("password"),
        config.integer("pool_size", 1, 1000),
        config.integer("pipelining_limit", 1, 1024),
        config.bool("migrate"),
        config.string("ssl_mode"));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database
        + ", pool_size=" + poolSize + ", migrate=" + migrate + ", ssl_mode=" + sslMode + "]";
  }
}
