package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

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
        .with(new PoolOptions()
            .setMaxSize(settings.poolSize())
            .setShared(true)
            .setName(SHARED_POOL_NAME)
            .setMaxWaitQueueSize(10_000))
        .connectingTo(connectOptions(settings))
        .using(vertx)
        .build();
  }

  static PgConnectOptions connectOptions(DatabaseSettings settings) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setDatabase(settings.database())
        .setUser(settings.user())
        .setPassword(settings.password())
        .addProperty("application_name", APPLICATION_NAME)
        .setPipeliningLimit(settings.pipeliningLimit())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(64);
    return PgTls.configure(options, settings);
  }
}
