package io.interestfl.secagg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
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

  private static final int CHUNK_WORDS = 16 * 1024; // 64 KiB of keystream per update
  private static final byte[] NONCE = "isecagg-mask".getBytes(); // 12 bytes
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ThreadLocal<byte[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[CHUNK_WORDS * 4], new byte[CHUNK_WORDS * 4]});

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
    if (from < 0 || to > target.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + target.length);
    }
    if (from == to) {
      return;
    }
    byte[][] buffers = BUFFERS.get();
    byte[] zeros = buffers[0];
    byte[] stream = buffers[1];
    int firstBlock = from / BLOCK_WORDS;
    int skipWords = from - firstBlock * BLOCK_WORDS;
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

  /**
   * Raw keystream of {@code words} words starting at word 0, discarded: the physical lower bound
   * of one expansion, used by the benchmark.
   */
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
