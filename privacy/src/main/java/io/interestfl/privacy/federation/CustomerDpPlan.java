package io.interestfl.privacy.federation;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.accounting.UnreachablePrivacyTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The noise of a whole federation's customer-level DP, calibrated once: the private item histogram
 * ({@link ItemHistogramRelease}, released first) and {@code rounds} rounds of {@link CustomerDpRound} at
 * sampling rate q = expected customers per round / N, composed in one RDP accountant, with the rounds'
 * noise multiplier the smallest (to 1e-4 relative) that keeps the total within the target epsilon at delta.
 *
 * @param round     the parameters of every round
 * @param histogram the histogram release, or null when the model does not start at popularity
 * @param transitions the item-to-item transition counts' release (the same mechanism over k pairs), or null
 * @param rounds    rounds the plan pays for
 * @param delta     the delta of the guarantee
 */
public record CustomerDpPlan(CustomerDpRound round, ItemHistogramRelease histogram, ItemHistogramRelease transitions,
    int rounds, double delta) {
  public static final EpsilonConversion CONVERSION = EpsilonConversion.IMPROVED;
  private static final double MAX_Z = 1e4;

  /**
   * @param targetEpsilon      the federation's customer epsilon over the histogram and all rounds
   * @param delta              its delta (at most 1/N is the usual choice)
   * @param rounds             rounds to pay for
   * @param customersPerRound  expected sampled customers per round, qN (capped at N)
   * @param clipNorm           C
   * @param population         N
   * @param minContributors    m
   * @param histogram          the histogram release (its noise multiplier is fixed), or null
   * @throws UnreachablePrivacyTargetException when even the histogram alone exceeds the target, or no z up to
   *     1e4 reaches it
   */
  public static CustomerDpPlan calibrate(double targetEpsilon, double delta, int rounds, double customersPerRound,
      double clipNorm, long population, int minContributors, ItemHistogramRelease histogram) {
    return calibrate(targetEpsilon, delta, rounds, customersPerRound, clipNorm, population, minContributors, histogram,
        null);
  }

  /** {@link #calibrate} with the transitions' release composed too (its noise multiplier is fixed). */
  public static CustomerDpPlan calibrate(double targetEpsilon, double delta, int rounds, double customersPerRound,
      double clipNorm, long population, int minContributors, ItemHistogramRelease histogram,
      ItemHistogramRelease transitions) {
    if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
      throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + targetEpsilon);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
    }
    if (!(customersPerRound > 0)) {
      throw new IllegalArgumentException("customers per round must be > 0, got " + customersPerRound);
    }
    EpsilonConversion.checkDelta(delta);
    double q = Math.min(1.0, customersPerRound / population);
    List<ItemHistogramRelease> once = oneTime(histogram, transitions);
    double onceAlone = spent(once, q, 1, 0, delta).epsilon();
    if (!once.isEmpty() && onceAlone >= targetEpsilon) {
      throw new UnreachablePrivacyTargetException(String.format(Locale.ROOT,
          "the one-time releases alone (item histogram%s) spend epsilon %.3f >= the target %.3f: "
              + "raise their noise multipliers or the target", transitions != null ? " and transitions" : "",
          onceAlone, targetEpsilon));
    }
    double lo = 0;
    double hi = 1;
    while (spent(once, q, hi, rounds, delta).epsilon() > targetEpsilon) {
      lo = hi;
      hi *= 2;
      if (hi > MAX_Z) {
        throw new UnreachablePrivacyTargetException(String.format(Locale.ROOT,
            "target epsilon %.3f (delta %s, q %.5f, %d rounds) is not reachable with noise multiplier <= %.0f",
            targetEpsilon, delta, q, rounds, MAX_Z));
      }
    }
    while (hi - lo > 1e-4 * hi) {
      double mid = (lo + hi) / 2;
      if (spent(once, q, mid, rounds, delta).epsilon() > targetEpsilon) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return new CustomerDpPlan(new CustomerDpRound(q, clipNorm, hi, population, minContributors), histogram,
        transitions, rounds, delta);
  }

  private static List<ItemHistogramRelease> oneTime(ItemHistogramRelease histogram, ItemHistogramRelease transitions) {
    List<ItemHistogramRelease> once = new ArrayList<>();
    if (histogram != null) {
      once.add(histogram);
    }
    if (transitions != null) {
      once.add(transitions);
    }
    return once;
  }

  /** The one-time releases, then {@code rounds} rounds at rate q and noise multiplier z, in one accountant. */
  private static PrivacySpent spent(List<ItemHistogramRelease> once, double q, double z, int rounds, double delta) {
    RdpAccountant accountant = new RdpAccountant();
    for (ItemHistogramRelease release : once) {
      accountant.compose(release.mechanism());
    }
    accountant.compose(new SubsampledGaussian(q, z, rounds));
    return accountant.epsilon(delta, CONVERSION);
  }

  /** The guarantee after the one-time releases and {@code roundsDone} rounds. */
  public PrivacySpent spentAfter(int roundsDone) {
    return spent(oneTime(histogram, transitions), round.samplingRate(), round.noiseMultiplier(), roundsDone, delta);
  }
}
