package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One query on the reactive pool before anything is consumed. A refused TLS handshake or login is a
 * configuration error that no retry fixes, so it stops start-up and says why; any other failure (the
 * database is down) is left to the circuit breaker, as at any later time.
 */
public final class StartupProbe {

  private static final Logger log = LoggerFactory.getLogger(StartupProbe.class);
  /** PostgreSQL's SSLRequest code: the client asks for TLS before the start-up message. */
  private static final int SSL_REQUEST = 80877103;
  private static final int HANDSHAKE_CONNECT_TIMEOUT_MS = 10_000;

  private StartupProbe() {
  }

  /** Probes {@code pool}, the shared pool built from {@code settings}. */
  public static Future<Void> run(Vertx vertx, Pool pool, DatabaseSettings settings) {
    return pool.query("SELECT 1").execute()
        .<Void>mapEmpty()
        .recover(failure -> misconfiguration(vertx, failure, settings).compose(reason -> judge(failure, reason, settings)));
  }

  private static Future<Void> judge(Throwable failure, Optional<String> misconfiguration, DatabaseSettings settings) {
    if (misconfiguration.isPresent()) {
      return Future.failedFuture(new IllegalStateException("Cannot connect to PostgreSQL at " + settings.host() + ":"
          + settings.port() + " (" + ConnectFailures.tlsSettings(settings) + "): " + misconfiguration.get(), failure));
    }
    log.atWarn().addKeyValue("database", settings.toString()).addKeyValue("error", failure.toString())
        .log("Database not reachable at start-up; starting anyway, the circuit breaker takes over");
    return Future.succeededFuture();
  }

  /**
   * vertx-pg-client 5.0 reports every failed handshake as "SSL handshake failed", without the cause; when TLS
   * is required, the handshake is repeated alone with the same options to learn the JDK's reason.
   */
  private static Future<Optional<String>> misconfiguration(Vertx vertx, Throwable failure, DatabaseSettings settings) {
    Optional<String> known = ConnectFailures.misconfiguration(failure, settings);
    if (known.isPresent() || !PgTls.requiresTls(settings)) {
      return Future.succeededFuture(known);
    }
    return handshake(vertx, PgPools.connectOptions(settings))
        .transform(handshake -> Future.succeededFuture(handshake.succeeded() ? Optional.<String>empty()
            : ConnectFailures.misconfiguration(handshake.cause(), settings)));
  }

  private static Future<Void> handshake(Vertx vertx, PgConnectOptions options) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(HANDSHAKE_CONNECT_TIMEOUT_MS));
    return client.connect(options.getPort(), options.getHost())
        .compose(socket -> requestTls(socket)
            .compose(v -> socket.upgradeToSsl(options.getSslOptions()))
            .eventually(socket::close))
        .eventually(client::close);
  }

  private static Future<Void> requestTls(NetSocket socket) {
    Promise<Void> accepted = Promise.promise();
    socket.handler(answer -> {
      socket.handler(null);
      if (answer.getByte(0) == 'S') {
        accepted.tryComplete();
      } else {
        accepted.tryFail(new SSLException("the server does not accept TLS connections"));
      }
    });
    socket.write(Buffer.buffer().appendInt(8).appendInt(SSL_REQUEST));
    return accepted.future();
  }
}
