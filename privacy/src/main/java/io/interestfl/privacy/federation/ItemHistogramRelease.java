package io.interestfl.privacy.federation;

import io.interestfl.privacy.accounting.SubsampledGaussian;

/**
 * The private item-frequency histogram that starts a federation's model at popularity: every customer
 * counts each of at most {@code k} distinct items (their most recent) once, so one customer changes the
 * histogram by at most sqrt(k) in L2; every merchant adds its share N(0, (z sqrt k)^2 / m) of the noise to
 * its counts and the secure sum over the merchants is released once. Accounted as the Gaussian mechanism
 * (sampling rate 1) with noise multiplier z, composed in the same customer ledger as the rounds.
 *
 * @param itemsPerCustomer k
 * @param noiseMultiplier  z
 * @param minContributors  m
 */
public record ItemHistogramRelease(int itemsPerCustomer, double noiseMultiplier, int minContributors) {
  public ItemHistogramRelease {
    if (itemsPerCustomer < 1) {
      throw new IllegalArgumentException("items per customer must be >= 1, got " + itemsPerCustomer);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("histogram noise multiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (minContributors < 1) {
      throw new IllegalArgumentException("min contributors must be >= 1, got " + minContributors);
    }
  }

  /** sqrt(k): the L2 change one customer can make. */
  public double sensitivity() {
    return Math.sqrt(itemsPerCustomer);
  }

  /** z sqrt(k): the noise stddev of every released count. */
  public double noiseStddev() {
    return noiseMultiplier * sensitivity();
  }

  /** The stddev of one merchant's share of the noise. */
  public double shareStddev() {
    return noiseStddev() / Math.sqrt(minContributors);
  }

  public SubsampledGaussian mechanism() {
    return SubsampledGaussian.oneStep(1.0, noiseMultiplier);
  }
}
