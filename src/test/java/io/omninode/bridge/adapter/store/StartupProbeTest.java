package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

@ExtendWith(VertxExtension.class)
@DisplayName("The start-up probe of the reactive pool")
class StartupProbeTest {

  @TempDir
  Path directory;

  @ParameterizedTest(name = "ssl_mode {0}")
  @DisplayName("a database that is down does not stop start-up: the circuit breaker handles outages")
  @ValueSource(strings = {"disable", "require", "verify-full"})
  void databaseDownLetsStartUpGoOn(String mode, Vertx vertx, VertxTestContext test) throws Exception {
    Path ca = Files.writeString(directory.resolve("ca.pem"), CertificateAuthority.create("probe CA").certificatePem());
    DatabaseSettings settings = new DatabaseSettings("127.0.0.1", portWithNothingListening(), "bridge_db", "bridge", "",
        null, 1, 1, 0, false, mode, mode.startsWith("verify-") ? ca.toString() : null);

    StartupProbe.run(vertx, PgPools.shared(vertx, settings), settings).onComplete(test.succeedingThenComplete());
  }

  private static int portWithNothingListening() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
