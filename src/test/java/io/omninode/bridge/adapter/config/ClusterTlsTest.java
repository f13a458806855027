package io.omninode.bridge.adapter.config;

import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("cluster.tls and its three PEM files: required together, readable, of their kind, and working together")
class ClusterTlsTest {

  @TempDir
  static Path dir;
  private static CertificateAuthority clusterCa;
  private static MemberFiles member;

  @BeforeAll
  static void makeFiles() throws Exception {
    clusterCa = CertificateAuthority.create("cluster CA");
    member = MemberFiles.write(dir, "member-a", clusterCa.issue("member-a", "member-a"), clusterCa);
  }

  private static ClusterTls read(Map<String, String> env) {
    return ClusterTls.from(ConfigReader.section(new io.vertx.core.json.JsonObject(), env, "cluster"));
  }

  private static Map<String, String> with(String name, String value) {
    Map<String, String> env = new HashMap<>(member.environment());
    env.put(name, value);
    return env;
  }

  @Test
  @DisplayName("off by default; on with the three files, which are read from their paths")
  void offByDefaultOnWithTheThreeFiles() {
    assertThat(read(Map.of())).isEqualTo(ClusterTls.OFF);
    assertThat(read(member.environment()))
        .isEqualTo(new ClusterTls(true, member.cert().toString(), member.key().toString(), member.ca().toString()));
  }

  @Test
  @DisplayName("each file is required with tls on, and must be readable")
  void eachFileIsRequiredAndReadable() {
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_CA", " ")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_ca': is required when cluster.tls is true");
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_CERT", "")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_cert': is required");
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_KEY", dir.resolve("absent.key").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_key'").hasMessageContaining("not a readable file");
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS", "yes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls'");
  }

  @Test
  @DisplayName("a file of the wrong kind is named: a certificate given as the key, a key as the certificate or CA")
  void wrongKindOfFileIsNamed() {
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_KEY", member.cert().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_key'").hasMessageContaining("PRIVATE KEY");
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_CERT", member.key().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_cert'").hasMessageContaining("CERTIFICATE");
    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_CA", member.key().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_ca'");
  }

  @Test
  @DisplayName("the key of another certificate is refused: Vert.x would take it and fail every handshake")
  void keyOfAnotherCertificateIsRefused() throws Exception {
    MemberFiles other = MemberFiles.write(dir, "member-b", clusterCa.issue("member-b", "member-b"), clusterCa);

    assertThatThrownBy(() -> read(with("BRIDGE_CLUSTER_TLS_KEY", other.key().toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration 'cluster.tls_key': is not the private key of the certificate in cluster.tls_cert");
  }

  @Test
  @DisplayName("a certificate that the CA in tls_ca did not sign is refused, naming its issuer")
  void certificateOfAnotherCaIsRefused() throws Exception {
    CertificateAuthority otherCa = CertificateAuthority.create("other CA");
    MemberFiles stranger = MemberFiles.write(dir, "stranger", otherCa.issue("stranger", "stranger"), otherCa);

    assertThatThrownBy(() -> read(stranger.trusting(member.ca()).environment()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'cluster.tls_cert': is not signed by the CA in cluster.tls_ca (it was issued by CN=other CA)");
  }

  @Test
  @DisplayName("an expired certificate is refused with its date")
  void expiredCertificateIsRefused() throws Exception {
    Instant expiry = Instant.now().minus(Duration.ofDays(1));
    MemberFiles expired = MemberFiles.write(dir, "expired",
        clusterCa.issue(expiry.minus(Duration.ofDays(30)), expiry, "expired", "expired"), clusterCa);

    assertThatThrownBy(() -> read(expired.environment()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.tls_cert': expired on ");
  }

  @Test
  @DisplayName("files made by scripts/make-cluster-certs.sh are accepted (openssl required)")
  void scriptMadeFilesAreAccepted() throws Exception {
    MemberFiles scripted = io.omninode.bridge.adapter.testsupport.ClusterCerts
        .make(dir.resolve("scripted"), "adapter-1,10.0.0.5").member("adapter-1");

    assertThat(read(scripted.environment()).enabled()).isTrue();
    assertThat(Files.readString(scripted.key())).startsWith("-----BEGIN PRIVATE KEY-----");
  }
}
