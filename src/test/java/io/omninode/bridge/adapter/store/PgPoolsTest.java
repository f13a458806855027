package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The options of the shared pool")
class PgPoolsTest {

  private static PoolOptions options(int lifetimeMs) {
    return PgPools.poolOptions(new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", "", null, 4, 256,
        lifetimeMs, true, "disable", null));
  }

  @Test
  @DisplayName("database.max_connection_lifetime_ms becomes the pool's maximum lifetime, in milliseconds; 0 keeps none")
  void connectionLifetime() {
    assertThat(options(600_000).getMaxLifetime()).isEqualTo(600_000);
    assertThat(options(600_000).getMaxLifetimeUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(options(0).getMaxLifetime()).isZero();
  }
}
