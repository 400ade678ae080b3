package io.interestfl.secagg.crypto;

/**
 * One party's ephemeral key-agreement key pair. The implementation owns the curve, the KDF and
 * the output length: callers only name the peer's public key and a context (what the key is for,
 * which session, which pair of clients), and get a 32-byte {@link Secret} back. The raw
 * Diffie-Hellman output never leaves the implementation.
 */
public interface KeyAgreement {
  /** The public key to advertise (encoded; 32 bytes for X25519). */
  byte[] publicKey();

  /**
   * Derives the key shared with {@code peerPublicKey}. Both parties obtain the same secret when
   * they pass the same context.
   *
   * @throws IllegalArgumentException if the peer key is malformed or the agreement is degenerate
   *     (all-zero shared secret from a low-order point)
   */
  Secret agree(byte[] peerPublicKey, KeyContext context);

  /** The private key, as a secret to be Shamir-shared (SecAgg's masking key s_u^SK). */
  Secret privateKey();
}
