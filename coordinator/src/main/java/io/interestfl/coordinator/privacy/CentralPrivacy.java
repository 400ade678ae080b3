package io.interestfl.coordinator.privacy;

import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.privacy.clipping.ClipResult;
import io.interestfl.privacy.clipping.L2Clipper;
import io.interestfl.privacy.noise.GaussianNoise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Client-level central differential privacy, DP-FedAvg (McMahan et al. 2018), for federations
 * without secure aggregation: every update is clipped to L2 norm C at the coordinator (whatever the
 * client did), updates are weighted equally, Gaussian noise N(0, (zC)^2) is added to their sum, and
 * the sum is divided by the cohort size fixed when the round opened (not by the number that arrived,
 * which would make the sensitivity data-dependent).
 *
 * <p>Each round is accounted as one step of the Poisson-subsampled Gaussian with q = cohort size /
 * registered clients (the usual approximation for fixed-size cohorts), and recorded durably in the
 * {@link PrivacyLedger} before the noisy model is released. A round whose accounting would exceed
 * the budget is never opened.
 */
public final class CentralPrivacy implements AutoCloseable {
  private final L2Clipper clipper;
  private final double noiseMultiplier;
  private final PrivacyLedger ledger;
  private final GaussianNoise noise;

  public CentralPrivacy(double clipNorm, double noiseMultiplier, PrivacyBudget budget, Path ledgerFile) {
    if (!(noiseMultiplier > 0)) {
      throw new IllegalArgumentException("privacy.noise-multiplier must be > 0, got " + noiseMultiplier);
    }
    this.clipper = new L2Clipper(clipNorm);
    this.noiseMultiplier = noiseMultiplier;
    this.noise = GaussianNoise.forMechanism(noiseMultiplier, clipNorm, new SecureRandom());
    try {
      this.ledger = PrivacyLedger.open(ledgerFile, budget);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open privacy ledger " + ledgerFile, e);
    }
  }

  public SubsampledGaussian mechanism(int cohortSize, int population) {
    return SubsampledGaussian.oneStep(Math.min(1.0, (double) cohortSize / Math.max(1, population)), noiseMultiplier);
  }

  /** Null when a round with this cohort may run; otherwise why not. */
  public String refusal(int cohortSize, int population) {
    SubsampledGaussian mechanism = mechanism(cohortSize, population);
    if (ledger.canSpend(mechanism)) {
      return null;
    }
    return String.format("privacy budget exhausted: epsilon %.4f spent, the next round would reach %.4f > budget %.4f (delta %s)",
        ledger.epsilon(), ledger.epsilonIfSpent(mechanism).epsilon(), ledger.budget().epsilon(), ledger.budget().delta());
  }

  /** Clips an update in place to the clip norm; returns the clipping result. */
  public ClipResult clip(float[] update) {
    return clipper.clip(update);
  }

  /**
   * Records the round in the ledger (durably), then returns (sum + noise) / cohortSize. Throws
   * {@code PrivacyBudgetExceededException} without releasing anything if the budget would be exceeded.
   */
  public float[] release(long roundId, float[] sum, int cohortSize, int population) {
    try {
      ledger.spend(roundId, mechanism(cohortSize, population));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record round " + roundId + " in the privacy ledger", e);
    }
    float[] noisy = sum.clone();
    noise.addTo(noisy);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] /= cohortSize;
    }
    return noisy;
  }

  public PrivacySpent spent() {
    return ledger.spent();
  }

  public JsonObject status() {
    PrivacySpent spent = ledger.spent();
    return new JsonObject()
        .put("mode", "central")
        .put("clipNorm", clipper.clipNorm())
        .put("noiseMultiplier", noiseMultiplier)
        .put("epsilon", spent.epsilon())
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
