package io.interestfl.secagg.quantization;

import java.security.SecureRandom;

/**
 * Fixed-point encoding of weighted model updates into b-bit words for secure summation, and the
 * way back to a weighted mean.
 *
 * <p><b>Encoding.</b> With clip range r, precision p bits and L = 2^(p-1) - 1 levels per sign, a
 * client with update x and example weight w (capped at {@code maxWeight} W, normalised to w' =
 * w/W in [0, 1]) sends, for each coordinate i, q_i = SR(w' * clip(x_i, -r, r) * L / r), and as
 * the extra last coordinate q_w = SR(w' * L), all reduced modulo 2^b (two's complement). SR is
 * unbiased stochastic rounding driven by {@link SecureRandom}: floor(v) + 1 with probability
 * frac(v). Every |q| &lt;= L.
 *
 * <p><b>Headroom.</b> b = p + ceil(log2 n) for a cohort of n clients: any sum of at most n words
 * has magnitude &lt;= n L &lt; 2^(b-1), so the modular sum decodes exactly as a signed b-bit
 * number and never wraps. b &lt;= 32; e.g. n = 1000 (10 bits) and p = 16 give b = 26.
 *
 * <p><b>Decoding and error bound.</b> {@link #weightedMean(int[])} returns (sum_i / (L/r)) /
 * (sum_w / L) = estimate of sum_u w'_u clip(x_u) / sum_u w'_u, the weighted FedAvg mean of the
 * clipped updates. Each stochastic rounding is off by less than one level, so for m survivors
 * with true normalised weight sum D the numerator is off by less than m r / L and the denominator
 * by less than m / L, hence per coordinate (deterministically)
 *
 * <pre>  |mean_hat - mean| &lt;= 2 r m / (L D - m)      (when L D &gt; m)</pre>
 *
 * {@link #errorBound(int[], int)} evaluates this from the decoded sum (using D &gt;= D_hat - m/L).
 * The typical error is far smaller (rounding errors are independent, zero-mean: about r
 * sqrt(m) / (L D)). Clipping error (coordinates beyond +-r) is not included: choose r from the
 * update norm you already clip to for differential privacy.
 */
public final class Quantizer {
  private final int cohortSize;
  private final double clipRange;
  private final double maxWeight;
  private final int precisionBits;
  private final int bitWidth;
  private final long levels; // L

  private Quantizer(int cohortSize, double clipRange, double maxWeight, int precisionBits) {
    if (cohortSize < 1) {
      throw new IllegalArgumentException("cohortSize must be >= 1, got " + cohortSize);
    }
    if (!(clipRange > 0) || Double.isInfinite(clipRange)) {
      throw new IllegalArgumentException("clipRange must be positive and finite, got " + clipRange);
    }
    if (!(maxWeight > 0) || Double.isInfinite(maxWeight)) {
      throw new IllegalArgumentException("maxWeight must be positive and finite, got " + maxWeight);
    }
    int headroom = ceilLog2(cohortSize);
    if (precisionBits < 2 || precisionBits + headroom > 32) {
      throw new IllegalArgumentException(
          "precisionBits " + precisionBits + " + headroom " + headroom + " (ceil log2 " + cohortSize
              + ") must be <= 32 and precisionBits >= 2");
    }
    this.cohortSize = cohortSize;
    this.clipRange = clipRange;
    this.maxWeight = maxWeight;
    this.precisionBits = precisionBits;
    this.bitWidth = precisionBits + headroom;
    this.levels = (1L << (precisionBits - 1)) - 1;
  }

  /** Quantizer with p = {@code precisionBits}; b = p + ceil(log2 n). */
  public static Quantizer forCohort(int cohortSize, double clipRange, double maxWeight, int precisionBits) {
    return new Quantizer(cohortSize, clipRange, maxWeight, precisionBits);
  }

  /** Quantizer that uses all 32 bits: p = 32 - ceil(log2 n). */
  public static Quantizer maxPrecision(int cohortSize, double clipRange, double maxWeight) {
    return new Quantizer(cohortSize, clipRange, maxWeight, 32 - ceilLog2(cohortSize));
  }

  /** Word width b in bits (the modulus of the secure sum is 2^b). */
  public int bitWidth() {
    return bitWidth;
  }

  /** Precision p in bits per client value. */
  public int precisionBits() {
    return precisionBits;
  }

  /** Clip range r. */
  public double clipRange() {
    return clipRange;
  }

  /** Length of the quantized vector for an update of {@code updateLength} floats (+1 weight). */
  public static int encodedLength(int updateLength) {
    return updateLength + 1;
  }

  /**
   * Encodes {@code weight * clip(update)} and the weight itself (last word), modulo 2^b.
   *
   * @param weight example weight in [0, maxWeight]; larger values are capped at maxWeight
   */
  public int[] quantizeWeighted(float[] update, double weight, SecureRandom random) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
    }
    double w = Math.min(weight, maxWeight) / maxWeight;
    int[] out = new int[update.length + 1];
    byte[] coins = new byte[4 * out.length];
    random.nextBytes(coins);
    double scale = levels / clipRange;
    for (int i = 0; i < update.length; i++) {
      double x = update[i];
      if (Double.isNaN(x)) {
        throw new IllegalArgumentException("update[" + i + "] is NaN");
      }
      double v = w * Math.max(-clipRange, Math.min(clipRange, x)) * scale;
      out[i] = reduce(stochasticRound(v, coins, i));
    }
    out[update.length] = reduce(stochasticRound(w * levels, coins, update.length));
    return out;
  }

  private long stochasticRound(double v, byte[] coins, int i) {
    double f = Math.floor(v);
    long q = (long) f;
    double frac = v - f;
    long coin = ((coins[4 * i] & 0xFFL) << 24) | ((coins[4 * i + 1] & 0xFFL) << 16)
        | ((coins[4 * i + 2] & 0xFFL) << 8) | (coins[4 * i + 3] & 0xFFL);
    if (coin * 0x1p-32 < frac) {
      q++;
    }
    return Math.max(-levels, Math.min(levels, q));
  }

  private int reduce(long q) {
    return bitWidth == 32 ? (int) q : (int) (q & ((1L << bitWidth) - 1));
  }

  /** The signed value of a b-bit word of the sum. */
  public long decode(int word) {
    long w = Integer.toUnsignedLong(word);
    if (bitWidth < 32) {
      w &= (1L << bitWidth) - 1;
    }
    return w >= (1L << (bitWidth - 1)) ? w - (1L << bitWidth) : w;
  }

  /** Sum of the survivors' example weights (capped), decoded from the last word. */
  public double totalWeight(int[] sum) {
    return decode(sum[sum.length - 1]) / (double) levels * maxWeight;
  }

  /** Weighted mean of the survivors' clipped updates: sum_u w_u clip(x_u) / sum_u w_u. */
  public double[] weightedMean(int[] sum) {
    if (sum.length < 2) {
      throw new IllegalArgumentException("sum must hold at least one coordinate and the weight");
    }
    long wq = decode(sum[sum.length - 1]);
    if (wq <= 0) {
      throw new IllegalArgumentException("total weight is not positive (" + wq + " levels)");
    }
    double denominator = wq / (double) levels;
    double numeratorScale = clipRange / levels;
    double[] mean = new double[sum.length - 1];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = decode(sum[i]) * numeratorScale / denominator;
    }
    return mean;
  }

  /**
   * Worst-case absolute error per coordinate of {@link #weightedMean(int[])} for {@code
   * survivors} contributions: 2 r m / (L D - m) with D &gt;= D_hat - m/L; infinite when the total
   * weight is too small for a bound.
   */
  public double errorBound(int[] sum, int survivors) {
    double dHat = decode(sum[sum.length - 1]) / (double) levels;
    double denom = levels * dHat - 2.0 * survivors;
    return denom <= 0 ? Double.POSITIVE_INFINITY : 2.0 * clipRange * survivors / denom;
  }

  /** The modular sum of quantized vectors (reference / plain aggregation). */
  public int[] addModular(int[] acc, int[] x) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] = reduce((long) acc[i] + x[i]);
    }
    return acc;
  }

  private static int ceilLog2(int n) {
    return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
  }

  @Override
  public String toString() {
    return "Quantizer[n=" + cohortSize + ", r=" + clipRange + ", W=" + maxWeight + ", p="
        + precisionBits + ", b=" + bitWidth + "]";
  }
}
