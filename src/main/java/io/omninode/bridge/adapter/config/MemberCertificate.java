package io.omninode.bridge.adapter.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A member's certificate, key and cluster CA read as the event bus will read them (Vert.x's PEM reader),
 * checked to work together. Vert.x accepts a key of another certificate, or a certificate of another
 * CA, and the member would then start only to fail every handshake; these stop start-up instead.
 */
final class MemberCertificate {

  private MemberCertificate() {
  }

  static void check(byte[] certPem, byte[] keyPem, byte[] caPem) {
    X509Certificate[] chain;
    PrivateKey key;
    try {
      PemKeyCertOptions pair = new PemKeyCertOptions().addCertValue(Buffer.buffer(certPem)).addKeyValue(Buffer.buffer(keyPem));
      // without file paths the reader needs no Vert.x instance
      KeyStore store = pair.loadKeyStore(null);
      String alias = Collections.list(store.aliases()).get(0);
      X509KeyManager keys = x509(pair.getKeyManagerFactory(null).getKeyManagers());
      chain = keys.getCertificateChain(alias);
      key = keys.getPrivateKey(alias);
    } catch (Exception e) {
      throw new ConfigException("cluster.tls_cert", "cannot be read with cluster.tls_key: " + e.getMessage());
    }
    if (!signs(key, chain[0].getPublicKey())) {
      throw new ConfigException("cluster.tls_key", "is not the private key of the certificate in cluster.tls_cert");
    }
    checkValidity(chain[0]);
    List<X509Certificate> authorities = certificates(caPem);
    X509Certificate top = chain[chain.length - 1];
    if (authorities.stream().noneMatch(ca -> ca.equals(top) || signedBy(top, ca))) {
      throw new ConfigException("cluster.tls_cert", "is not signed by the CA in cluster.tls_ca (it was issued by "
          + top.getIssuerX500Principal().getName() + ")");
    }
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    return (X509KeyManager) List.of(managers).stream().filter(X509KeyManager.class::isInstance).findFirst().orElseThrow();
  }

  /** Whether {@code key} makes signatures that {@code certified} verifies; true for an algorithm not known here. */
  private static boolean signs(PrivateKey key, PublicKey certified) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] probe = "bridge-db-adapter".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkValidity(X509Certificate certificate) {
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new ConfigException("cluster.tls_cert", "expired on " + certificate.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new ConfigException("cluster.tls_cert", "is not valid before " + certificate.getNotBefore().toInstant());
    }
  }

  private static List<X509Certificate> certificates(byte[] pem) {
    try {
      Collection<? extends java.security.cert.Certificate> read =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      return read.stream().map(X509Certificate.class::cast).toList();
    } catch (GeneralSecurityException e) {
      throw new ConfigException("cluster.tls_ca", "cannot be read: " + e.getMessage());
    }
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
