package io.interestfl.secagg.crypto;

/** A long-term identity key that signs protocol messages. The implementation owns the scheme. */
public interface Signer {
  /** Signature over {@code message}. */
  byte[] sign(byte[] message);

  /** The matching public key, encoded (32 bytes for Ed25519). */
  byte[] publicKey();
}
