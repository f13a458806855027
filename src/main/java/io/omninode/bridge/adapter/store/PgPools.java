package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Builds the reactive pool every verticle shares (one pool per Vert.x instance, by name). */
public final class PgPools {

  /** The name Vert.x metrics label the shared pool with. */
  public static final String SHARED_POOL_NAME = "bridge-db";

  /** How the adapter's sessions show in {@code pg_stat_activity}, from the pool and the migrations alike. */
  public static final String APPLICATION_NAME = "bridge-db-adapter";

  private PgPools() {
  }

  public static Pool shared(Vertx vertx, DatabaseSettings settings) {
    return PgBuilder.pool()
        .with(poolOptions(settings))
        .connectingTo(eachConnection(vertx, settings))
        .using(vertx)
        .build();
  }

  static PoolOptions poolOptions(DatabaseSettings settings) {
    return new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setShared(true)
        .setName(SHARED_POOL_NAME)
        .setMaxWaitQueueSize(10_000)
        .setMaxLifetime(settings.maxConnectionLifetimeMs())
        .setMaxLifetimeUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * The options of each new connection: the pool asks for them every time it connects, so that a password
   * read from {@code database.password_file} is the file's content at that moment.
   */
  static Supplier<Future<SqlConnectOptions>> eachConnection(Vertx vertx, DatabaseSettings settings) {
    PgConnectOptions options = connectOptions(settings);
    if (settings.passwordFile() == null) {
      Future<SqlConnectOptions> same = Future.succeededFuture(options.setPassword(settings.password()));
      return () -> same;
    }
    return () -> PgPassword.read(vertx, settings).<SqlConnectOptions>map(password -> new PgConnectOptions(options).setPassword(password));
  }

  /** Everything but the password. */
  static PgConnectOptions connectOptions(DatabaseSettings settings) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setDatabase(settings.database())
        .setUser(settings.user())
        .addProperty("application_name", APPLICATION_NAME)
        .setPipeliningLimit(settings.pipeliningLimit())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(64);
    return PgTls.configure(options, settings);
  }
}
