package io.interestfl.aggregation;

import io.interestfl.secagg.quantization.Quantizer;
import java.security.SecureRandom;

/**
 * The quantize and dequantize stages around a secure sum: a client encodes {@code weight * clip(delta)}
 * and its weight as b-bit words ({@link Quantizer}; with distributed DP every client counts once,
 * with weight {@code maxWeight}, and then adds its {@link DistributedNoise}); the server decodes the
 * modular sum of those words into the weighted mean delta. Both sides make the same {@link Quantizer}
 * from the cohort size, so its headroom fits the sum.
 */
public final class SecureQuantization {
  private final double clipRange;
  private final double maxWeight;
  private final int precisionBits;

  /**
   * @param clipRange     each coordinate is clipped to [-r, r] before quantization
   * @param maxWeight     example weights above this are capped
   * @param precisionBits p: bits per client value before the cohort's headroom
   */
  public SecureQuantization(double clipRange, double maxWeight, int precisionBits) {
    this.clipRange = clipRange;
    this.maxWeight = maxWeight;
    this.precisionBits = precisionBits;
  }

  /**
   * The widest precision each cohort's 32-bit modulus allows ({@link CustomerDpShare#precisionFor}): the rounding
   * of customer-level DP shares then costs least.
   */
  public static SecureQuantization widest(double clipRange, double maxWeight) {
    return new SecureQuantization(clipRange, maxWeight, 0);
  }

  public double clipRange() {
    return clipRange;
  }

  /** The quantizer of a round with {@code cohortSize} clients (b = p + ceil(log2 n)). */
  public Quantizer forCohort(int cohortSize) {
    return Quantizer.forCohort(cohortSize, clipRange, maxWeight,
        precisionBits > 0 ? precisionBits : CustomerDpShare.precisionFor(cohortSize));
  }

  /**
   * Client side: the words to mask, weighted by the client's {@code examples}; with {@code countOnce}
   * (distributed DP) every client has the same weight, {@code maxWeight}, and adds its
   * {@link DistributedNoise} to the words next.
   */
  public int[] encode(Quantizer quantizer, float[] delta, long examples, boolean countOnce, SecureRandom random) {
    return quantizer.quantizeWeighted(delta, countOnce ? maxWeight : examples, random);
  }

  /** Server side: the weighted mean delta from the unmasked modular sum. */
  public static float[] decode(Quantizer quantizer, int[] sum) {
    double[] mean = quantizer.weightedMean(sum);
    float[] delta = new float[mean.length];
    for (int i = 0; i < mean.length; i++) {
      delta[i] = (float) mean[i];
    }
    return delta;
  }
}
