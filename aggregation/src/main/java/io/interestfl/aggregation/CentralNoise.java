package io.interestfl.aggregation;

import io.interestfl.privacy.clipping.AdaptiveClipper;
import io.interestfl.privacy.noise.GaussianNoise;
import java.security.SecureRandom;

/**
 * Central noise stage of DP-FedAvg: Gaussian noise N(0, (z C)^2) on the sum of updates clipped to C,
 * drawn from {@link SecureRandom}. With an adaptive clip norm part of z pays for the noisy count, and
 * the update is noised with the larger z_delta = (z^-2 - (2 sigma_b)^-2)^(-1/2) (Andrew et al. 2021).
 */
public final class CentralNoise {
  private final double noiseMultiplier;
  private final double countNoiseStddev;
  private final ClipNorm clipNorm;
  private final SecureRandom random;

  /**
   * @param countNoiseStddev sigma_b of an adaptive clip norm's count; ignored for a fixed clip norm
   */
  CentralNoise(double noiseMultiplier, double countNoiseStddev, ClipNorm clipNorm, SecureRandom random) {
    if (!(noiseMultiplier > 0)) {
      throw new IllegalArgumentException("noise multiplier must be > 0, got " + noiseMultiplier);
    }
    this.noiseMultiplier = noiseMultiplier;
    this.countNoiseStddev = countNoiseStddev;
    this.clipNorm = clipNorm;
    this.random = random;
  }

  /** z, the noise multiplier of the whole round. */
  public double noiseMultiplier() {
    return noiseMultiplier;
  }

  /** The multiplier of the noise on the update: z, or z_delta when part of z pays for the count. */
  public double updateNoiseMultiplier() {
    return clipNorm.isAdaptive() ? AdaptiveClipper.updateNoiseMultiplier(noiseMultiplier, countNoiseStddev)
        : noiseMultiplier;
  }

  /** Adds the round's noise to {@code sum}, in place. */
  void addTo(float[] sum) {
    new GaussianNoise(updateNoiseMultiplier() * clipNorm.current(), random).addTo(sum);
  }
}
