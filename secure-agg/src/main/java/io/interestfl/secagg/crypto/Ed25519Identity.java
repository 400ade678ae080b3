package io.interestfl.secagg.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 (Bouncy Castle) long-term identity key of a client. */
public final class Ed25519Identity implements Signer {
  /** Signature length in bytes. */
  public static final int SIGNATURE_LENGTH = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;
  /** Public key length in bytes. */
  public static final int PUBLIC_KEY_LENGTH = Ed25519PublicKeyParameters.KEY_SIZE;

  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private Ed25519Identity(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  /** A fresh identity key from {@code random}. */
  public static Ed25519Identity generate(SecureRandom random) {
    return new Ed25519Identity(new Ed25519PrivateKeyParameters(random));
  }

  /** Loads an identity from its 32-byte private key encoding. */
  public static Ed25519Identity fromPrivateKey(byte[] encoded) {
    return new Ed25519Identity(new Ed25519PrivateKeyParameters(encoded, 0));
  }

  /** The 32-byte private key encoding (to keep the identity across restarts; protect it like a TLS key). */
  public byte[] privateKeyEncoding() {
    return privateKey.getEncoded();
  }

  @Override
  public byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A verifier for the 32-byte Ed25519 public key {@code encoded}. */
  public static SignatureVerifier verifier(byte[] encoded) {
    if (encoded == null || encoded.length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("Ed25519 public key must be " + PUBLIC_KEY_LENGTH + " bytes");
    }
    Ed25519PublicKeyParameters pk = new Ed25519PublicKeyParameters(encoded, 0);
    return (message, signature) -> {
      if (signature == null || signature.length != SIGNATURE_LENGTH) {
        return false;
      }
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, pk);
      v.update(message, 0, message.length);
      return v.verifySignature(signature);
    };
  }
}
