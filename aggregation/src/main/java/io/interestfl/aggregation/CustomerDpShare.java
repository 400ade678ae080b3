package io.interestfl.aggregation;

import io.interestfl.secagg.quantization.Quantizer;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * One merchant's contribution to a release of federation-wide customer-level DP under secure aggregation,
 * and its inverse at the coordinator: the merchant's vector (a clipped sum over its customers, or capped
 * counts) lives in a region of the federation's state vector; it is scaled by {@code 1 / range} into the
 * quantizer's [-1, 1], stochastically rounded to {@code L = 2^(p-1) - 1} levels, and gets discrete Gaussian
 * noise N_Z(0, (z D)^2 / m) on every coordinate of the region, where
 * {@code D = sensitivity L / range + sqrt(d)} bounds in levels the L2 change one customer makes after
 * rounding (Kairouz, Liu, Steinke 2021, Thm. 1, no conditional rounding). Any sum of at least {@code m}
 * merchants therefore carries discrete Gaussian noise of stddev at least {@code z D} levels: the mechanism
 * the ledger charges, with noise multiplier z on the inflated sensitivity D. The rounding costs utility
 * only, by {@link #inflation()} ({@code D} over the unrounded sensitivity in levels), which the coordinator
 * keeps small by using the widest precision the cohort's modulus allows.
 *
 * @param range           the natural-unit bound of every coordinate of a merchant's vector (it is clipped there)
 * @param sensitivity     the L2 change one customer makes to it, in natural units (C, or sqrt k)
 * @param noiseMultiplier z
 * @param minContributors m
 * @param precisionBits   p
 * @param offset          first coordinate of the region in the state vector
 * @param length          d, coordinates of the region
 */
public record CustomerDpShare(double range, double sensitivity, double noiseMultiplier, int minContributors,
    int precisionBits, int offset, int length) {

  public CustomerDpShare {
    if (!(range > 0) || Double.isInfinite(range) || !(sensitivity > 0) || Double.isInfinite(sensitivity)) {
      throw new IllegalArgumentException("customer DP share: range and sensitivity must be finite and > 0, got "
          + range + ", " + sensitivity);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier) || minContributors < 1) {
      throw new IllegalArgumentException("customer DP share: noise multiplier must be finite and > 0 and min "
          + "contributors >= 1, got " + noiseMultiplier + ", " + minContributors);
    }
    if (precisionBits < 2 || precisionBits > 31 || offset < 0 || length < 1) {
      throw new IllegalArgumentException("customer DP share: precision bits in [2, 31], offset >= 0 and length >= 1 "
          + "required, got " + precisionBits + ", " + offset + ", " + length);
    }
  }

  /** The widest precision a cohort of {@code cohortSize} allows (b = 32 bits): both sides derive it. */
  public static int precisionFor(int cohortSize) {
    return Math.min(31, 32 - (32 - Integer.numberOfLeadingZeros(Math.max(1, cohortSize) - 1)));
  }

  /** L. */
  public long levels() {
    return (1L << (precisionBits - 1)) - 1;
  }

  /** D: one customer's L2 change in levels after stochastic rounding. */
  public double sensitivityLevels() {
    return sensitivity * levels() / range + Math.sqrt(length);
  }

  /** D over the unrounded sensitivity in levels: the factor by which rounding inflates the noise. */
  public double inflation() {
    return sensitivityLevels() / (sensitivity * levels() / range);
  }

  /** The variance each merchant adds, in levels squared. */
  public double shareVariance() {
    double sigma = noiseMultiplier * sensitivityLevels();
    return sigma * sigma / minContributors;
  }

  /** The released sum's noise stddev per coordinate in natural units (at exactly m contributors). */
  public double noiseStddev() {
    return noiseMultiplier * sensitivityLevels() * range / levels();
  }

  /** The quantizer both sides use for a cohort (coordinates in [-1, 1], weight 1 each). */
  public Quantizer quantizer(int cohortSize) {
    return Quantizer.forCohort(cohortSize, 1.0, 1.0, precisionBits);
  }

  /**
   * Merchant side: the words to mask for a state vector of {@code stateLength} coordinates, {@code values} in
   * the region and 0 elsewhere, with this merchant's noise share on the region.
   */
  public int[] encode(Quantizer quantizer, double[] values, int stateLength, SecureRandom random) {
    if (values.length != length || offset + length > stateLength) {
      throw new IllegalArgumentException("customer DP share: " + values.length + " values for a region of " + length
          + " at " + offset + " in a state of " + stateLength);
    }
    float[] scaled = new float[stateLength];
    for (int i = 0; i < length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("customer DP share: value " + i + " is not finite: " + values[i]);
      }
      scaled[offset + i] = (float) (values[i] / range);
    }
    int[] words = quantizer.quantizeWeighted(scaled, 1.0, random);
    new DistributedNoise(shareVariance()).addTo(words, quantizer.bitWidth(), offset, offset + length, random);
    return words;
  }

  /**
   * Coordinator side: the released sum over the region in natural units, from the decoded weighted mean of
   * {@code survivors} merchants (each of weight 1, so the mean times survivors is the sum).
   */
  public double[] releasedSum(float[] decodedMean, int survivors) {
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = (double) decodedMean[offset + i] * survivors * range;
    }
    return out;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "range %.4g, sensitivity %.4g, z %.4f, m %d, p %d, region [%d, %d), "
        + "rounding inflation %.4f", range, sensitivity, noiseMultiplier, minContributors, precisionBits, offset,
        offset + length, inflation());
  }
}
