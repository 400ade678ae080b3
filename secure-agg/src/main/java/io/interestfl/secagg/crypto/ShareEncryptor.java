package io.interestfl.secagg.crypto;

/**
 * Authenticated encryption of one client's Shamir shares for one neighbour. The implementation
 * owns the algorithm, the key size and the nonces; the caller supplies the associated data that
 * binds sender, receiver, round and session.
 */
public interface ShareEncryptor {
  /** Encrypts; the result carries everything needed to decrypt (nonce, ciphertext, tag). */
  byte[] seal(byte[] plaintext, byte[] associatedData);

  /**
   * Decrypts and authenticates.
   *
   * @throws AuthenticationFailedException if the tag does not verify (wrong key, wrong associated
   *     data, tampered or truncated ciphertext)
   */
  byte[] open(byte[] sealed, byte[] associatedData) throws AuthenticationFailedException;

  /** Thrown when a sealed message does not authenticate. */
  final class AuthenticationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** With a reason. */
    public AuthenticationFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
