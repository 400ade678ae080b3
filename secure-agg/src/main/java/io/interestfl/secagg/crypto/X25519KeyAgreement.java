package io.interestfl.secagg.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/** X25519 (Bouncy Castle) followed by HKDF-SHA256 with the {@link KeyContext} as info. */
public final class X25519KeyAgreement implements KeyAgreement {
  /** Public key length in bytes. */
  public static final int PUBLIC_KEY_LENGTH = X25519PublicKeyParameters.KEY_SIZE;

  private static final byte[] SALT = "interestfl/secagg/v1/hkdf-salt".getBytes();

  private final X25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private X25519KeyAgreement(X25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  /** A fresh key pair from {@code random}. */
  public static X25519KeyAgreement generate(SecureRandom random) {
    return new X25519KeyAgreement(new X25519PrivateKeyParameters(random));
  }

  /** Rebuilds a key pair from a private key (e.g. one reconstructed from Shamir shares). */
  public static X25519KeyAgreement fromPrivateKey(Secret privateKey) {
    return new X25519KeyAgreement(new X25519PrivateKeyParameters(privateKey.bytes(), 0));
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public Secret agree(byte[] peerPublicKey, KeyContext context) {
    if (peerPublicKey == null || peerPublicKey.length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("X25519 public key must be " + PUBLIC_KEY_LENGTH + " bytes");
    }
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(privateKey);
    byte[] shared = new byte[agreement.getAgreementSize()];
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), shared, 0);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("degenerate X25519 agreement (low-order public key)", e);
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(shared, SALT, context.info()));
    byte[] out = new byte[Secret.LENGTH];
    hkdf.generateBytes(out, 0, out.length);
    java.util.Arrays.fill(shared, (byte) 0);
    return Secret.of(out);
  }

  @Override
  public Secret privateKey() {
    return Secret.of(privateKey.getEncoded());
  }
}
