package io.interestfl.secagg.crypto;

/**
 * Expands a 32-byte seed into a pseudorandom vector of 32-bit words and folds it into an
 * accumulator modulo 2^32 (which also reduces correctly modulo any 2^b, b &lt;= 32). The
 * implementation owns the PRG, nonce and counter layout; word {@code i} of the expansion is the
 * same whichever range it is requested in, so a vector can be masked in independent slices.
 */
public interface MaskGenerator {
  /**
   * {@code target[i] += PRG(seed)[i]} (or {@code -=} when {@code subtract}) for {@code from <= i <
   * to}, modulo 2^32.
   */
  void accumulate(Secret seed, boolean subtract, int[] target, int from, int to);

  /** Words per PRG block: slices that start on a block boundary need no partial block. */
  int blockWords();

  /** Same as {@link #accumulate(Secret, boolean, int[], int, int)} over the whole target. */
  default void accumulate(Secret seed, boolean subtract, int[] target) {
    accumulate(seed, subtract, target, 0, target.length);
  }
}
