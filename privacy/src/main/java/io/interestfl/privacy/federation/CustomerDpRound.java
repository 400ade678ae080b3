package io.interestfl.privacy.federation;

import io.interestfl.privacy.accounting.SubsampledGaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One round of federation-wide customer-level DP. Every merchant of the round includes each of its
 * customers independently with the one federation-wide probability {@code q}, clips each sampled
 * customer's contribution to L2 norm {@code C}, sums them and adds its share N(0, (zC)^2 / m) of the
 * noise; the secure sum over the merchants therefore carries noise of variance at least (zC)^2 whenever
 * at least {@code m} merchants contribute. The released sum is divided by the expected number of sampled
 * customers, {@code q N} (never by the realised one, which is private), and handed to the server
 * optimizer.
 *
 * <p>Accounted as one step of the Poisson-subsampled Gaussian mechanism with rate {@code q} and noise
 * multiplier {@code z} over all {@code N} customers of the federation: the noise is paid once for the
 * federation, not once per merchant. A customer who buys at two merchants is two users to this analysis:
 * their guarantee is that of group privacy for a group of two (docs/privacy.md).
 *
 * @param samplingRate     q, in (0, 1]
 * @param clipNorm         C, the L2 bound of one customer's contribution
 * @param noiseMultiplier  z; the released sum has noise stddev zC per coordinate
 * @param population       N, the customers of the whole federation (the sum of the merchants' counts)
 * @param minContributors  m, the fewest merchants whose noise shares a released sum contains
 */
public record CustomerDpRound(double samplingRate, double clipNorm, double noiseMultiplier, long population,
    int minContributors) {

  public CustomerDpRound {
    List<String> problems = new ArrayList<>();
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      problems.add("sampling rate must be in (0, 1], got " + samplingRate);
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      problems.add("clip norm must be finite and > 0, got " + clipNorm);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      problems.add("noise multiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (population < 1) {
      problems.add("population must be >= 1 customer, got " + population);
    }
    if (minContributors < 1) {
      problems.add("min contributors must be >= 1, got " + minContributors);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("customer-level DP round: " + String.join("; ", problems));
    }
  }

  /** q N: the denominator of the released mean. */
  public double expectedCustomers() {
    return samplingRate * population;
  }

  /** zC: the noise stddev of the released sum, per coordinate. */
  public double noiseStddev() {
    return noiseMultiplier * clipNorm;
  }

  /** zC / sqrt(m): the stddev of one merchant's share. */
  public double shareStddev() {
    return noiseStddev() / Math.sqrt(minContributors);
  }

  /** The round's privacy cost for every customer of the federation. */
  public SubsampledGaussian mechanism() {
    return SubsampledGaussian.oneStep(samplingRate, noiseMultiplier);
  }

  /**
   * What a node finds wrong with these parameters before it contributes: it knows its own customer count,
   * the fewest merchants it accepts to share the noise with, the least noise multiplier it accepts, and the
   * cohort the coordinator announced. An empty list means the node may contribute.
   *
   * @param ownCustomers      the node's customers (must not exceed the claimed population)
   * @param minNoiseMultiplier the least z the node accepts
   * @param cohortSize        merchants the coordinator says take part in the round
   */
  public List<String> problems(long ownCustomers, double minNoiseMultiplier, int cohortSize) {
    List<String> out = new ArrayList<>();
    if (noiseMultiplier < minNoiseMultiplier) {
      out.add(String.format(Locale.ROOT, "noise multiplier %.4f is below this node's minimum %.4f", noiseMultiplier,
          minNoiseMultiplier));
    }
    if (ownCustomers > population) {
      out.add("the federation's population " + population + " is smaller than this node's " + ownCustomers
          + " customers: the denominator q N and the accounting would be wrong");
    }
    if (minContributors > cohortSize) {
      out.add("noise is split over " + minContributors + " merchants but the round has only " + cohortSize
          + ": the released sum would carry less noise than accounted");
    }
    return out;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "q=%.5f C=%.4g z=%.4f N=%d m=%d", samplingRate, clipNorm, noiseMultiplier,
        population, minContributors);
  }
}
