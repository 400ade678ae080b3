package io.interestfl.secagg.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20 (RFC 8439, JDK provider) keystream as mask PRG: key = the seed, fixed nonce, word i =
 * little-endian 32-bit word i of the keystream. The seed is either fresh randomness (self mask)
 * or an HKDF output bound to the session (pairwise mask), so the fixed nonce never repeats under
 * one key. A new {@link Cipher} is made per expansion (the JDK refuses to re-initialise ChaCha20
 * with the same key and nonce). Instances are stateless and thread-safe; each thread gets its own
 * scratch buffers.
 */
public final class ChaCha20MaskGenerator implements MaskGenerator {
  /** Words per ChaCha20 block. */
  public static final int BLOCK_WORDS = 16;

  private static final byte[] NONCE = "isecagg-mask".getBytes(); // 12 bytes

  static {
    if (NONCE.length != 12) {
      throw new ExceptionInInitializerError("nonce must be 12 bytes");
    }
  }

  @Override
  public int blockWords() {
    return BLOCK_WORDS;
  }

  @Override
  public void accumulate(Secret seed, boolean subtract, int[] target, int from, int to) {
    CipherKeystream.checkRange(target, from, to);
    if (from == to) {
      return;
    }
    int firstBlock = from / BLOCK_WORDS;
    CipherKeystream.fold(keystream(seed, firstBlock), from - firstBlock * BLOCK_WORDS, subtract, target, from, to);
  }

  /**
   * Raw keystream of words [from, to), discarded: the physical lower bound of one expansion, used by the
   * benchmark.
   */
  public static void rawKeystream(Secret seed, int from, int to) {
    CipherKeystream.discard(keystream(seed, from / BLOCK_WORDS), to - from);
  }

  private static Cipher keystream(Secret seed, int firstBlock) {
    try {
      Cipher cipher = Cipher.getInstance("ChaCha20");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(seed.bytes(), "ChaCha20"),
          new ChaCha20ParameterSpec(NONCE, firstBlock));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20 unavailable", e);
    }
  }
}
