package io.omninode.bridge.adapter.testsupport;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A cluster member's three PEM files for {@code cluster.tls}: its certificate, its key, the CA it trusts. */
public record MemberFiles(Path cert, Path key, Path ca) {

  /** Writes {@code <name>.pem}, {@code <name>.key} and {@code <name>-ca.pem} (trusting {@code trusted}) into {@code dir}. */
  public static MemberFiles write(Path dir, String name, CertificateAuthority.Issued issued, CertificateAuthority trusted)
      throws IOException {
    return new MemberFiles(Files.writeString(dir.resolve(name + ".pem"), issued.certificatePem()),
        Files.writeString(dir.resolve(name + ".key"), issued.privateKeyPem()),
        Files.writeString(dir.resolve(name + "-ca.pem"), trusted.certificatePem()));
  }

  /** The same files trusting another CA file. */
  public MemberFiles trusting(Path otherCa) {
    return new MemberFiles(cert, key, otherCa);
  }

  /** The {@code cluster} section's TLS keys. */
  public JsonObject tlsConfig() {
    return new JsonObject().put("tls", true).put("tls_cert", cert.toAbsolutePath().toString())
        .put("tls_key", key.toAbsolutePath().toString()).put("tls_ca", ca.toAbsolutePath().toString());
  }

  /** The same as the four environment variables of the README. */
  public Map<String, String> environment() {
    return Map.of("BRIDGE_CLUSTER_TLS", "true", "BRIDGE_CLUSTER_TLS_CERT", cert.toString(),
        "BRIDGE_CLUSTER_TLS_KEY", key.toString(), "BRIDGE_CLUSTER_TLS_CA", ca.toString());
  }
}
