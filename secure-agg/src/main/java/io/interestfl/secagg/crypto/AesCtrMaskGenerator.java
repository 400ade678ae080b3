package io.interestfl.secagg.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256 in counter mode (NIST SP 800-38A, JDK provider) as the mask PRG: key = the 32-byte seed, counter block =
 * an 8-byte domain label followed by the 64-bit big-endian block index, word i = little-endian 32-bit word i of the
 * keystream (the keystream of AES-CTR is the encryption of zeros). The seed is fresh randomness (self mask) or an
 * HKDF output bound to the session (pairwise mask), so a counter block never repeats under one key; AES-CTR under a
 * uniformly random key is the PRG of NIST's CTR_DRBG.
 *
 * <p>Why AES and not ChaCha20: on Java 17 the JDK's AES-CTR runs on the AES-NI / VAES intrinsics (37 GB/s on one
 * core of the benchmark VM) while its ChaCha20 is plain Java (0.5 GB/s); the server's unmasking is keystream
 * expansion, so this is the cost of a round with dropouts. Instances are stateless and thread-safe; each thread gets
 * its own scratch buffers.
 */
public final class AesCtrMaskGenerator implements MaskGenerator {
  /** Words per AES block. */
  public static final int BLOCK_WORDS = 4;

  private static final byte[] LABEL = "isecaggM".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // 8 bytes

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

  private static Cipher keystream(Secret seed, long firstBlock) {
    byte[] counter = new byte[16];
    System.arraycopy(LABEL, 0, counter, 0, 8);
    for (int b = 0; b < 8; b++) {
      counter[15 - b] = (byte) (firstBlock >>> (8 * b));
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed.bytes(), "AES"), new IvParameterSpec(counter));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR unavailable", e);
    }
  }
}
