package io.omninode.bridge.adapter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mutual TLS on the event bus between cluster members: every member presents a certificate signed by
 * the cluster's CA and accepts only peers that do. PEM files, read by Vert.x when the event bus starts.
 *
 * @param enabled whether the event bus uses TLS at all (off: clear text, any Hazelcast member is a peer)
 * @param cert    this member's certificate (chain), PEM
 * @param key     its private key, unencrypted PEM (PKCS#8, or PKCS#1 RSA, or SEC1 EC)
 * @param ca      the certificate of the CA every member's certificate must be signed by, PEM
 */
public record ClusterTls(boolean enabled, String cert, String key, String ca) {

  public static final ClusterTls OFF = new ClusterTls(false, null, null, null);

  private static final List<String> CERTIFICATE = List.of("-----BEGIN CERTIFICATE-----");
  /** The private-key forms Vert.x's PEM reader accepts; an encrypted key is not one of them. */
  private static final List<String> PRIVATE_KEY = List.of(
      "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----");

  /**
   * Reads {@code tls}, {@code tls_cert}, {@code tls_key} and {@code tls_ca} of the {@code cluster} section,
   * and the files they name: each must be there, be PEM of its kind, and work with the others.
   */
  public static ClusterTls from(ConfigReader config) {
    if (!config.bool("tls")) {
      return OFF;
    }
    PemFile cert = PemFile.read(config, "tls_cert", "this member's PEM certificate", CERTIFICATE);
    PemFile key = PemFile.read(config, "tls_key", "the PEM private key of that certificate", PRIVATE_KEY);
    PemFile ca = PemFile.read(config, "tls_ca", "the PEM certificate of the CA that signs every member's certificate",
        CERTIFICATE);
    MemberCertificate.check(cert.content(), key.content(), ca.content());
    return new ClusterTls(true, cert.path(), key.path(), ca.path());
  }

  private record PemFile(String path, byte[] content) {

    static PemFile read(ConfigReader config, String key, String what, List<String> markers) {
      String name = "cluster." + key;
      String path = config.string(key);
      if (path == null || path.isBlank()) {
        throw new ConfigException(name, "is required when cluster.tls is true: " + what);
      }
      byte[] content;
      try {
        content = Files.readAllBytes(Path.of(path.trim()));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(name, "'" + path.trim() + "' is not a readable file");
      }
      // ISO-8859-1 decodes any bytes: a DER file is then said not to be PEM rather than failing to decode
      String text = new String(content, StandardCharsets.ISO_8859_1);
      if (markers.stream().noneMatch(text::contains)) {
        throw new ConfigException(name, "'" + path.trim() + "' is not " + what + " (no " + String.join(" or ", markers)
            + " line)");
      }
      return new PemFile(path.trim(), content);
    }
  }
}
