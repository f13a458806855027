package io.omninode.bridge.adapter.testsupport;

/** Where the tests' PostgreSQL server listens and who they log in as. */
public record PgTarget(String host, int port, String user, String password) {

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
