package io.interestfl.secagg.message;

/**
 * The AES-256-GCM sealed pair of Shamir shares (self-mask seed, masking key) from one client to
 * one neighbour. Associated data: protocol label, from, to, round id, session id.
 *
 * @param from the share owner (sender)
 * @param to the holder (receiver)
 * @param ciphertext nonce || ciphertext || tag
 */
public record EncryptedShare(int from, int to, byte[] ciphertext) {
  /** Validates ids and size. */
  public EncryptedShare {
    if (from <= 0 || to <= 0) {
      throw new IllegalArgumentException("ids must be positive");
    }
    if (ciphertext == null || ciphertext.length == 0 || ciphertext.length > Wire.MAX_BLOB) {
      throw new IllegalArgumentException("ciphertext length out of range");
    }
  }

  void write(Wire.Writer w) {
    w.i32(from).i32(to).blob(ciphertext);
  }

  static EncryptedShare read(Wire.Reader r) {
    return new EncryptedShare(r.i32(), r.i32(), r.blob(Wire.MAX_BLOB, "ciphertext"));
  }

  static final int MIN_ENCODED = 12;
}
