package io.interestfl.secagg.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256 helper (Bouncy Castle digest). */
public final class Sha256 {
  /** Digest length in bytes. */
  public static final int LENGTH = 32;

  private Sha256() {}

  /** SHA-256 of the concatenation of the parts. */
  public static byte[] hash(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[LENGTH];
    d.doFinal(out, 0);
    return out;
  }
}
