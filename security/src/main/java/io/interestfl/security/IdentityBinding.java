package io.interestfl.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * Binds a node's SecAgg+ identity key to its certificate: the node signs (federation, its name, the key) with its
 * TLS key, the coordinator forwards certificate and signature with the key, and every cohort member checks both
 * against the federation CA before it trusts the key. A coordinator that substitutes a key cannot produce the
 * signature, so the key-substitution attack on SecAgg+ (docs/protocol.md) fails at the first phase.
 */
public final class IdentityBinding {
  private static final String ALGORITHM = "SHA256withECDSA";

  private IdentityBinding() {}

  private static byte[] statement(String federationId, String name, byte[] identityKey) {
    byte[] head = ("interestfl secagg identity v1\n" + federationId + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + identityKey.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(identityKey, 0, out, head.length, identityKey.length);
    return out;
  }

  /** The node's signature over its identity key, with its TLS private key. */
  public static byte[] sign(PrivateKey tlsKey, String federationId, String name, byte[] identityKey) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(tlsKey);
      s.update(statement(federationId, name, identityKey));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the identity key: " + e.getMessage(), e);
    }
  }

  /** True when the signature over {@code identityKey} verifies with {@code certificate}'s key (coordinator side). */
  public static boolean verify(X509Certificate certificate, String federationId, byte[] identityKey, byte[] signature) {
    String name = PeerIdentity.of(new X509Certificate[] {certificate});
    if (name == null || signature == null || signature.length == 0) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(certificate.getPublicKey());
      s.update(statement(federationId, name, identityKey));
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Why a cohort member's key must not be trusted, or null: its certificate ({@code certificateDer}) must be
   * valid now, issued by {@code ca}, and its signature over the key must verify (client side).
   */
  public static String problem(X509Certificate ca, byte[] certificateDer, String federationId, byte[] identityKey,
      byte[] signature) {
    X509Certificate certificate;
    try {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificateDer));
    } catch (GeneralSecurityException | RuntimeException e) {
      return "unreadable certificate: " + e.getMessage();
    }
    try {
      certificate.verify(ca.getPublicKey());
      certificate.checkValidity(new Date());
    } catch (GeneralSecurityException e) {
      return "certificate of '" + PeerIdentity.of(new X509Certificate[] {certificate}) + "' is not a valid certificate "
          + "of the federation CA: " + e.getMessage();
    }
    if (!verify(certificate, federationId, identityKey, signature)) {
      return "the identity key of '" + PeerIdentity.of(new X509Certificate[] {certificate}) + "' is not signed by its "
          + "certificate (substituted?)";
    }
    return null;
  }
}
