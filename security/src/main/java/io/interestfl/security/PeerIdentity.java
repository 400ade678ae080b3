package io.interestfl.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who a peer is: the common name of the certificate it authenticated with (TLS has verified the chain to the
 * federation's CA and its revocation). A node's name in the federation is this, never what a message claims.
 */
public final class PeerIdentity {
  private PeerIdentity() {}

  /** The common name of the leaf of {@code chain}, or null when there is none or it is not X.509. */
  public static String of(Certificate[] chain) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return null;
    }
    return commonName(X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()));
  }

  static String commonName(X500Name name) {
    return first(name, BCStyle.CN);
  }

  static String organisation(X500Name name) {
    return first(name, BCStyle.O);
  }

  private static String first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}
