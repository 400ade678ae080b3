package io.interestfl.secagg.message;

import io.interestfl.secagg.crypto.Sha256;

/**
 * Phase 0 broadcast (server to every cohort member): the round configuration. Its digest is
 * signed by every client together with its keys and bound into the session id.
 *
 * @param roundId round number, unique per training run
 * @param cohort the invited client ids, strictly ascending
 * @param degree graph degree k
 * @param threshold Shamir threshold t
 * @param bitWidth b, sums are modulo 2^b (1..32)
 * @param vectorLength number of words in each input
 * @param graphSeed 32 fresh random bytes from the server; seeds the Harary permutation
 */
public record RoundStart(
    long roundId, int[] cohort, int degree, int threshold, int bitWidth, int vectorLength, byte[] graphSeed)
    implements ServerMessage {
  /** Length of the graph seed. */
  public static final int SEED_LENGTH = 32;

  /** Validates field ranges (the parameter combination is checked by the protocol). */
  public RoundStart {
    Wire.requireSortedPositiveIds(cohort, "cohort");
    if (bitWidth < 1 || bitWidth > 32) {
      throw new IllegalArgumentException("bitWidth must be in [1, 32], got " + bitWidth);
    }
    if (vectorLength < 1 || vectorLength > Wire.MAX_VECTOR) {
      throw new IllegalArgumentException("vectorLength out of range: " + vectorLength);
    }
    Wire.requireLength(graphSeed, SEED_LENGTH, "graphSeed");
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.ROUND_START, 64 + 4 * cohort.length)
        .i64(roundId).ids(cohort).i32(degree).i32(threshold).u8(bitWidth).i32(vectorLength)
        .fixed(graphSeed, SEED_LENGTH).bytes();
  }

  /** SHA-256 of the encoding: what clients sign and bind into the session. */
  public byte[] digest() {
    return Sha256.hash(toBytes());
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static RoundStart fromBytes(byte[] data) {
    return Wire.decode("RoundStart", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.ROUND_START, "RoundStart");
      RoundStart m = new RoundStart(r.i64(), r.ids("cohort"), r.i32(), r.i32(), r.u8(), r.i32(),
          r.fixed(SEED_LENGTH));
      r.end();
      return m;
    });
  }
}
