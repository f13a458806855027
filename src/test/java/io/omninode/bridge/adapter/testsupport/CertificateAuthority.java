package io.omninode.bridge.adapter.testsupport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

/**
 * A certificate authority for TLS tests (BouncyCastle, EC P-256): its own certificate and the certificates
 * it issues, as PEM. An issued certificate is good for both ends of a connection (server and client auth).
 */
public final class CertificateAuthority {

  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  /** A certificate and its private key (PKCS#8), as PEM. */
  public record Issued(String certificatePem, String privateKeyPem) {
  }

  private CertificateAuthority(String commonName) throws Exception {
    name = new X500Name("CN=" + commonName);
    keys = newKeyPair();
    Instant now = Instant.now();
    certificate = sign(builder(name, keys.getPublic(), now.minus(Duration.ofHours(1)), now.plus(VALIDITY))
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
  }

  public static CertificateAuthority create(String commonName) {
    try {
      return new CertificateAuthority(commonName);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create the test CA " + commonName, e);
    }
  }

  public String certificatePem() {
    return pem(certificate);
  }

  /** A certificate for {@code commonName} whose subject alternative names are exactly {@code dnsNames}. */
  public Issued issue(String commonName, String... dnsNames) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofHours(1)), now.plus(VALIDITY), commonName, dnsNames);
  }

  /** The same, valid from {@code notBefore} to {@code notAfter} (in the past, say). */
  public Issued issue(Instant notBefore, Instant notAfter, String commonName, String... dnsNames) {
    try {
      KeyPair leaf = newKeyPair();
      GeneralName[] names = Arrays.stream(dnsNames).map(dns -> new GeneralName(GeneralName.dNSName, dns))
          .toArray(GeneralName[]::new);
      X509Certificate issued = sign(builder(new X500Name("CN=" + commonName), leaf.getPublic(), notBefore, notAfter)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate)));
      return new Issued(pem(issued), pem(new JcaPKCS8Generator(leaf.getPrivate(), null)));
    } catch (Exception e) {
      throw new IllegalStateException("Could not issue a test certificate for " + commonName, e);
    }
  }

  private X509v3CertificateBuilder builder(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter)
      throws Exception {
    return new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(notBefore), Date.from(notAfter), subject, key)
        .addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
