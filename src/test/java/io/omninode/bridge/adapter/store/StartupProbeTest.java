package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The start-up probe of the reactive pool")
class StartupProbeTest {

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path directory;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "ssl_mode {0}")
  @DisplayName("a database that is down does not stop start-up: the circuit breaker handles outages")
  @ValueSource(strings = {"disable", "require", "verify-full"})
  void databaseDownLetsStartUpGoOn(String mode) throws Exception {
    Path ca = Files.writeString(directory.resolve("ca.pem"), CertificateAuthority.create("probe CA").certificatePem());
    DatabaseSettings settings = new DatabaseSettings("127.0.0.1", portWithNothingListening(), "bridge_db", "bridge", "",
        null, 1, 1, 0, false, mode, mode.startsWith("verify-") ? ca.toString() : null);

    Throwable failure = StartupProbe.run(vertx, PgPools.shared(vertx, settings), settings).toCompletionStage()
        .toCompletableFuture().handle((ok, error) -> error).get(30, TimeUnit.SECONDS);

    assertThat(failure).isNull();
  }

  private static int portWithNothingListening() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
