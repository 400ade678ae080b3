package io.interestfl.aggregation;

import io.interestfl.privacy.noise.DistributedDiscreteGaussian;

/**
 * The numbers behind client-level distributed DP under secure aggregation (Kairouz, Liu, Steinke
 * 2021): every client clips its update to L2 norm C, quantizes it with weight 1 and adds discrete
 * Gaussian noise N_Z(0, sigma^2 / m) to the integer vector ({@link DistributedNoise}), m = the fewest
 * contributors a round may have, so any unmasked sum carries noise of variance at least sigma^2.
 *
 * <p>The quantizer's coordinate range is r = C (1 + 4z) (room for the noise inside the modulus);
 * sigma = z * D2, where D2 = C L / r + sqrt(d) bounds the L2 norm of a clipped update after scaling to
 * L levels and stochastic rounding (worst case, Kairouz et al. Thm. 1 with no conditional rounding).
 * A round costs rho-zCDP from the paper's bound for the sum of m discrete Gaussians (conservative:
 * client sampling is not credited).
 */
public final class DistributedNoiseCalibration {
  private final double clipRange;
  private final double perClientVariance;
  private final double rhoPerRound;

  public DistributedNoiseCalibration(double clipNorm, double noiseMultiplier, int minContributors, int precisionBits,
      long dimension) {
    if (!(clipNorm > 0) || !(noiseMultiplier > 0) || minContributors < 1) {
      throw new IllegalArgumentException("distributed DP needs clip norm > 0, noise multiplier > 0 and at least one "
          + "contributor, got " + clipNorm + ", " + noiseMultiplier + ", " + minContributors);
    }
    this.clipRange = clipNorm * (1 + 4 * noiseMultiplier);
    double levels = (1L << (precisionBits - 1)) - 1;
    double l2Sensitivity = clipNorm * levels / clipRange + Math.sqrt(dimension);
    double sigma = noiseMultiplier * l2Sensitivity;
    this.perClientVariance = sigma * sigma / minContributors;
    this.rhoPerRound = DistributedDiscreteGaussian.rho(Math.sqrt(perClientVariance), minContributors, l2Sensitivity,
        dimension);
  }

  /** Coordinate range r the quantizer must use (clients clip to L2 norm C first). */
  public double clipRange() {
    return clipRange;
  }

  /** Variance of the discrete Gaussian each client adds, in quantization levels squared. */
  public double perClientVariance() {
    return perClientVariance;
  }

  /** The zCDP cost of one round. */
  public double rhoPerRound() {
    return rhoPerRound;
  }
}
