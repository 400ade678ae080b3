package io.interestfl.secagg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
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

  private static final int CHUNK_WORDS = 16 * 1024; // 64 KiB of keystream per update
  private static final byte[] LABEL = "isecaggM".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // 8 bytes
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ThreadLocal<byte[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[CHUNK_WORDS * 4], new byte[CHUNK_WORDS * 4]});

  @Override
  public int blockWords() {
    return BLOCK_WORDS;
  }

  @Override
  public void accumulate(Secret seed, boolean subtract, int[] target, int from, int to) {
    if (from < 0 || to > target.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + target.length);
    }
    if (from == to) {
      return;
    }
    byte[][] buffers = BUFFERS.get();
    byte[] zeros = buffers[0];
    byte[] stream = buffers[1];
    long firstBlock = from / BLOCK_WORDS;
    int skipWords = (int) (from - firstBlock * BLOCK_WORDS);
    Cipher cipher = keystream(seed, firstBlock);
    try {
      if (skipWords > 0) {
        cipher.update(zeros, 0, skipWords * 4, stream, 0);
      }
      int i = from;
      while (i < to) {
        int n = Math.min(CHUNK_WORDS, to - i);
        cipher.update(zeros, 0, n * 4, stream, 0);
        if (subtract) {
          for (int j = 0; j < n; j++) {
            target[i + j] -= (int) LE_INT.get(stream, j * 4);
          }
        } else {
          for (int j = 0; j < n; j++) {
            target[i + j] += (int) LE_INT.get(stream, j * 4);
          }
        }
        i += n;
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Raw keystream of words [from, to), discarded: the physical lower bound of one expansion (the benchmark's). */
  public static void rawKeystream(Secret seed, int from, int to) {
    byte[][] buffers = BUFFERS.get();
    Cipher cipher = keystream(seed, from / BLOCK_WORDS);
    try {
      for (int i = from; i < to; i += CHUNK_WORDS) {
        int n = Math.min(CHUNK_WORDS, to - i);
        cipher.update(buffers[0], 0, n * 4, buffers[1], 0);
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
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
