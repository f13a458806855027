package io.omninode.bridge.adapter.cluster;

import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.config.ClusterTls;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real handshakes on loopback, between event-bus options built as the adapter builds them. */
@ExtendWith(VertxExtension.class)
@DisplayName("A member's TLS handshake with another member's event-bus port, and what it says about a refusal")
class PeerHandshakeTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static CertificateAuthority clusterCa;
  private static CertificateAuthority otherCa;
  private static NetClient client;

  @BeforeAll
  static void startVertx(Vertx shared) throws Exception {
    vertx = shared;
    clusterCa = CertificateAuthority.create("cluster CA");
    otherCa = CertificateAuthority.create("other CA");
    EventBusOptions self = eventBus("member-a", clusterCa.issue("member-a", "member-a"), clusterCa);
    // a plain-text peer never answers the client's hello: the timeout is the event bus's (10 s) made short
    client = vertx.createNetClient(PeerHandshake.clientOptions(self).setSslHandshakeTimeout(5)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("a member with a certificate from the cluster's CA passes, named by its certificate")
  void memberOfTheClusterPasses(VertxTestContext test) throws Exception {
    EventBusOptions member = eventBus("member-b", clusterCa.issue("member-b", "member-b"), clusterCa);

    NetServer server = server(member);
    Future<PeerHandshake.Verdict> checked = server.listen(0, "127.0.0.1")
        .compose(listening -> PeerHandshake.check(client, "127.0.0.1", listening.actualPort()));

    checked.onComplete(test.succeeding(verdict -> test.verify(() -> {
      assertThat(verdict.outcome()).isEqualTo(PeerHandshake.Outcome.PASSED);
      assertThat(verdict.detail()).isEqualTo("CN=member-b");
      assertThat(verdict.address()).isEqualTo("127.0.0.1:" + server.actualPort());
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a member whose certificate comes from another CA is refused: not signed by the CA in cluster.tls_ca")
  void certificateOfAnotherCaIsRefused(VertxTestContext test) throws Exception {
    EventBusOptions intruder = eventBus("intruder", otherCa.issue("intruder", "intruder"), clusterCa);

    listenAndCheck(intruder).onComplete(test.succeeding(verdict -> test.verify(() -> {
      assertThat(verdict.outcome()).isEqualTo(PeerHandshake.Outcome.REFUSED);
      assertThat(verdict.detail()).startsWith("its certificate is not signed by the CA in cluster.tls_ca");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a member that does not accept this member's certificate is refused during the handshake, not after it")
  void peerRefusingOurCertificateIsRefused(VertxTestContext test) throws Exception {
    // its own certificate is good, but it trusts another CA: only its verdict on ours can fail the handshake
    EventBusOptions distrustful = eventBus("member-c", clusterCa.issue("member-c", "member-c"), otherCa);

    listenAndCheck(distrustful).onComplete(test.succeeding(verdict -> test.verify(() -> {
      assertThat(verdict.outcome()).as("TLS 1.3 would finish the client's handshake before the peer's verdict")
          .isEqualTo(PeerHandshake.Outcome.REFUSED);
      assertThat(verdict.detail()).contains("it does not accept this member's certificate");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a member whose event bus is in clear text is refused: it does not speak TLS")
  void clearTextPeerIsRefused(VertxTestContext test) {
    listenAndCheck(new EventBusOptions()).onComplete(test.succeeding(verdict -> test.verify(() -> {
      assertThat(verdict.outcome()).isEqualTo(PeerHandshake.Outcome.NO_ANSWER);
      assertThat(verdict.detail()).contains("does not speak TLS");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("nothing listening is unreachable, not a TLS refusal")
  void nothingListeningIsUnreachable(VertxTestContext test) throws Exception {
    PeerHandshake.check(client, "127.0.0.1", Ports.free()).onComplete(test.succeeding(verdict -> test.verify(() -> {
      assertThat(verdict.outcome()).isEqualTo(PeerHandshake.Outcome.UNREACHABLE);
      assertThat(verdict.detail()).startsWith("unreachable: ");
      test.completeNow();
    })));
  }

  /** The event bus's options, as the adapter makes them, for a member with {@code issued} trusting {@code trusted}. */
  private static EventBusOptions eventBus(String name, CertificateAuthority.Issued issued, CertificateAuthority trusted)
      throws Exception {
    MemberFiles files = MemberFiles.write(dir, name, issued, trusted);
    // the record itself, not ClusterTls.from: some of these peers hold files the adapter refuses to start with
    ClusterTls tls = new ClusterTls(true, files.cert().toString(), files.key().toString(), files.ca().toString());
    EventBusOptions options = new EventBusOptions();
    ClusterManagers.applyEventBus(new ClusterSettings("peers", ClusterSettings.TCP, List.of(), null, 5701, null, 0,
        "224.2.2.3", 54327, null, tls), options);
    return options;
  }

  /** A server as the clustered event bus makes its own (from the event bus's options), and this member's check of it. */
  private static Future<PeerHandshake.Verdict> listenAndCheck(EventBusOptions options) {
    return server(options).listen(0, "127.0.0.1").compose(listening ->
        PeerHandshake.check(client, "127.0.0.1", listening.actualPort()));
  }

  private static NetServer server(EventBusOptions options) {
    return vertx.createNetServer(new NetServerOptions(options.toJson())).connectHandler(socket -> { });
  }
}
