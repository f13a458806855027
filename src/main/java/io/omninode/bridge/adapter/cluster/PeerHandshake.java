package io.omninode.bridge.adapter.cluster;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * One TLS handshake with another member's event-bus port, made as the event bus makes its own, and
 * what came of it in words an operator can act on.
 */
public final class PeerHandshake {

  /** How a handshake ended. */
  public enum Outcome {
    /** Both certificates accepted. */
    PASSED,
    /** A certificate refused, by either side. */
    REFUSED,
    /** The peer accepted the connection but never answered TLS: clear text, or too busy to answer in time. */
    NO_ANSWER,
    /** No connection at all. */
    UNREACHABLE
  }

  /**
   * @param address {@code host:port} dialled
   * @param detail  the peer's certificate subject, or why the handshake failed
   */
  public record Verdict(String address, Outcome outcome, String detail) {

    public boolean accepted() {
      return outcome == Outcome.PASSED;
    }
  }

  private PeerHandshake() {
  }

  /**
   * The event bus's own client options (ClusteredEventBus derives its client from them the same way,
   * without a host-name check), limited to TLS 1.2: there the server's verdict on this member's
   * certificate is part of the handshake, while TLS 1.3 delivers it after the client has finished.
   */
  public static NetClientOptions clientOptions(EventBusOptions eventBus) {
    return new NetClientOptions(eventBus.toJson()).setHostnameVerificationAlgorithm("")
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2"));
  }

  /** Connects, shakes hands and closes; never fails. */
  public static Future<Verdict> check(NetClient client, String host, int port) {
    String address = host + ":" + port;
    return client.connect(port, host)
        .map(socket -> {
          Verdict verdict = new Verdict(address, Outcome.PASSED, subject(socket));
          socket.close();
          return verdict;
        })
        .otherwise(failure -> failed(address, failure));
  }

  private static String subject(NetSocket socket) {
    try {
      return ((X509Certificate) socket.peerCertificates().get(0)).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      return "(no certificate)";
    }
  }

  private static Verdict failed(String address, Throwable failure) {
    if (causedBy(failure, SslHandshakeTimeoutException.class)) {
      return new Verdict(address, Outcome.NO_ANSWER, "no TLS handshake within the event bus's timeout: it does not"
          + " speak TLS on its event-bus port (cluster.tls off there?) or is too busy to answer");
    }
    if (causedBy(failure, CertPathBuilderException.class) || causedBy(failure, CertPathValidatorException.class)) {
      return new Verdict(address, Outcome.REFUSED,
          "its certificate is not signed by the CA in cluster.tls_ca (" + rootMessage(failure) + ")");
    }
    if (causedBy(failure, SSLException.class)) {
      String message = rootMessage(failure);
      // "Received fatal alert: bad_certificate" and the like: the peer's verdict on this member's certificate
      return new Verdict(address, Outcome.REFUSED, message.startsWith("Received fatal alert")
          ? "it does not accept this member's certificate (" + message + ")"
          : "TLS handshake failed: " + message);
    }
    return new Verdict(address, Outcome.UNREACHABLE, "unreachable: " + rootMessage(failure));
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
