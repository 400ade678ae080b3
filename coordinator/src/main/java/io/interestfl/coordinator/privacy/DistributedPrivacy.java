package io.interestfl.coordinator.privacy;

import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.ZcdpMechanism;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.privacy.noise.DistributedDiscreteGaussian;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Client-level distributed DP under secure aggregation (Kairouz, Liu, Steinke 2021): every client
 * clips its update to L2 norm C, quantizes it with weight 1 (clients count equally), and adds
 * discrete Gaussian noise N_Z(0, sigma^2 / m) to the integer vector, m = min-updates. The
 * coordinator only ever unmasks a sum that already carries noise of variance at least sigma^2
 * (more when more than m clients survive), so it never holds an un-noised aggregate.
 *
 * <p>This class owns the arithmetic, so clients only receive the numbers they need: the quantizer's
 * coordinate range r = C (1 + 4z) (room for the noise inside the modulus) and the per-client noise
 * variance in quantization levels. sigma = z * D2, where D2 = C L / r + sqrt(d) bounds the L2 norm of
 * a clipped update after scaling to L levels and stochastic rounding (worst case, Kairouz et al.
 * Thm. 1 with no conditional rounding). Each round is accounted as rho-zCDP from the paper's bound
 * for the sum of m discrete Gaussians (conservative: client sampling is not credited) and recorded in
 * the ledger before the model derived from it is released.
 */
public final class DistributedPrivacy implements AutoCloseable {
  private final double clipNorm;
  private final double noiseMultiplier;
  private final int minContributors;
  private final double clipRange;
  private final double levels;
  private final long dimension;
  private final double l2Sensitivity;
  private final double perClientVariance;
  private final double rhoPerRound;
  private final PrivacyLedger ledger;

  public DistributedPrivacy(double clipNorm, double noiseMultiplier, int minContributors, int precisionBits,
      long dimension, PrivacyBudget budget, Path ledgerFile) {
    if (!(clipNorm > 0) || !(noiseMultiplier > 0) || minContributors < 1) {
      throw new IllegalArgumentException("distributed DP needs clip norm > 0, noise multiplier > 0 and at least one "
          + "contributor, got " + clipNorm + ", " + noiseMultiplier + ", " + minContributors);
    }
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.minContributors = minContributors;
    this.clipRange = clipNorm * (1 + 4 * noiseMultiplier);
    this.levels = (1L << (precisionBits - 1)) - 1;
    this.dimension = dimension;
    this.l2Sensitivity = clipNorm * levels / clipRange + Math.sqrt(dimension);
    double sigma = noiseMultiplier * l2Sensitivity;
    this.perClientVariance = sigma * sigma / minContributors;
    this.rhoPerRound = DistributedDiscreteGaussian.rho(Math.sqrt(perClientVariance), minContributors, l2Sensitivity,
        dimension);
    try {
      this.ledger = PrivacyLedger.open(ledgerFile, budget);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open privacy ledger " + ledgerFile, e);
    }
  }

  /** Coordinate range r the quantizer must use (clients clip to L2 norm C first). */
  public double clipRange() {
    return clipRange;
  }

  public double clipNorm() {
    return clipNorm;
  }

  /** Variance of the discrete Gaussian each client adds, in quantization levels squared. */
  public double perClientVariance() {
    return perClientVariance;
  }

  public ZcdpMechanism mechanism() {
    return new ZcdpMechanism(rhoPerRound);
  }

  /** Null when one more round fits the budget; otherwise why not. */
  public String refusal() {
    if (ledger.canSpend(mechanism())) {
      return null;
    }
    return String.format("privacy budget exhausted: epsilon %.4f spent, the next round would reach %.4f > budget %.4f (delta %s)",
        ledger.epsilon(), ledger.epsilonIfSpent(mechanism()).epsilon(), ledger.budget().epsilon(), ledger.budget().delta());
  }

  /** Records the round durably; call before anything derived from the unmasked sum is released. */
  public void record(long roundId) {
    try {
      ledger.spend(roundId, mechanism());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record round " + roundId + " in the privacy ledger", e);
    }
  }

  public PrivacySpent spent() {
    return ledger.spent();
  }

  public JsonObject status() {
    return new JsonObject()
        .put("mode", "distributed")
        .put("clipNorm", clipNorm)
        .put("noiseMultiplier", noiseMultiplier)
        .put("minContributors", minContributors)
        .put("rhoPerRound", rhoPerRound)
        .put("epsilon", ledger.spent().epsilon())
        .put("delta", ledger.budget().delta())
        .put("budgetEpsilon", ledger.budget().epsilon())
        .put("roundsRecorded", ledger.entries().size())
        .put("ledger", ledger.file().toString());
  }

  @Override
  public void close() throws IOException {
    ledger.close();
  }
}
