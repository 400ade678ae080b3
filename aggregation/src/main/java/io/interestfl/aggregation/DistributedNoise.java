package io.interestfl.aggregation;

import io.interestfl.privacy.noise.DiscreteGaussianSampler;
import java.security.SecureRandom;

/**
 * A client's share of distributed DP noise: N_Z(0, variance) on every quantized coordinate but the
 * last (the weight word), modulo 2^b, before masking ({@link DistributedNoiseCalibration} gives the
 * variance).
 */
public final class DistributedNoise {
  private final double variance;

  /** @param variance per-client variance, in quantization levels squared */
  public DistributedNoise(double variance) {
    this.variance = variance;
  }

  public double variance() {
    return variance;
  }

  /** Adds the noise to {@code words} (b-bit words of a quantized update), in place. */
  public void addTo(int[] words, int bits, SecureRandom random) {
    addTo(words, bits, 0, words.length - 1, random);
  }

  /** Adds the noise to {@code words[from, to)} only (a region of the vector; never the weight word). */
  public void addTo(int[] words, int bits, int from, int to, SecureRandom random) {
    if (from < 0 || to > words.length - 1 || from > to) {
      throw new IllegalArgumentException("noise region [" + from + ", " + to + ") outside the " + (words.length - 1)
          + " coordinates");
    }
    DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(variance, random);
    long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
    for (int i = from; i < to; i++) {
      words[i] = (int) ((words[i] + sampler.sample()) & mask);
    }
  }
}
