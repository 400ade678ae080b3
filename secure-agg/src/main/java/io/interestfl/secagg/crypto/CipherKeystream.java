package io.interestfl.secagg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * The part the stream-cipher mask PRGs share: reading a JDK cipher's keystream (the encryption of zeros) 64 KiB at a
 * time and folding it into 32-bit words as little-endian integers, added or subtracted modulo 2^32. Each thread has
 * its own scratch buffers.
 */
final class CipherKeystream {
  private static final int CHUNK_WORDS = 16 * 1024; // 64 KiB of keystream per update
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ThreadLocal<byte[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[CHUNK_WORDS * 4], new byte[CHUNK_WORDS * 4]});

  private CipherKeystream() {}

  /** Refuses a range outside {@code target}. */
  static void checkRange(int[] target, int from, int to) {
    if (from < 0 || to > target.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + target.length);
    }
  }

  /**
   * {@code target[i] +=} (or {@code -=}) keystream word {@code i} for {@code from <= i < to}; {@code cipher} is
   * positioned at the start of the block holding word {@code from}, which is {@code skipWords} into it.
   */
  static void fold(Cipher cipher, int skipWords, boolean subtract, int[] target, int from, int to) {
    byte[][] buffers = BUFFERS.get();
    byte[] zeros = buffers[0];
    byte[] stream = buffers[1];
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

  /** Produces and discards {@code words} words of keystream: the physical lower bound of an expansion. */
  static void discard(Cipher cipher, int words) {
    byte[][] buffers = BUFFERS.get();
    try {
      for (int i = 0; i < words; i += CHUNK_WORDS) {
        int n = Math.min(CHUNK_WORDS, words - i);
        cipher.update(buffers[0], 0, n * 4, buffers[1], 0);
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
