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
  private final SecureRandom random = new SecureRandom();
  private final double noiseMultiplier;
  private final PrivacyLedger ledger;
  /** Null with a fixed clip norm; otherwise moves the clip norm after every round. */
  private final io.interestfl.privacy.clipping.AdaptiveClipper adaptive;
  private final double countNoiseStddev;
  private L2Clipper clipper;

  public CentralPrivacy(double clipNorm, double noiseMultiplier, PrivacyBudget budget, Path ledgerFile) {
    this(clipNorm, noiseMultiplier, budget, ledgerFile, null, 0);
  }

  /**
   * With {@code adaptive} set, the clip norm follows the {@code targetQuantile} of the update norms;
   * the unclipped count is released with N(0, countNoiseStddev^2) and, to keep the round's total
   * privacy at noise multiplier z, the update is noised with the larger z_delta =
   * (z^-2 - (2 sigma_b)^-2)^(-1/2) (Andrew et al. 2021).
   */
  public CentralPrivacy(double clipNorm, double noiseMultiplier, PrivacyBudget budget, Path ledgerFile,
      io.interestfl.coordinator.config.CoordinatorConfig.AdaptiveClipping adaptiveSettings, int expectedCohort) {
    if (!(noiseMultiplier > 0)) {
      throw new IllegalArgumentException("privacy.noise-multiplier must be > 0, got " + noiseMultiplier);
    }
    this.clipper = new L2Clipper(clipNorm);
    this.noiseMultiplier = noiseMultiplier;
    if (adaptiveSettings != null && adaptiveSettings.enabled) {
      this.countNoiseStddev = adaptiveSettings.countNoiseStddev > 0 ? adaptiveSettings.countNoiseStddev
          : Math.max(1, expectedCohort) / 20.0;
      if (!(2 * countNoiseStddev > noiseMultiplier)) {
        throw new IllegalArgumentException(String.format("privacy.adaptive-clipping.count-noise-stddev %.3f is too small "
            + "for noise multiplier %.3f: the count's share of the budget needs 2 sigma_b > z (Andrew et al. 2021); "
            + "set count-noise-stddev above %.3f", countNoiseStddev, noiseMultiplier, noiseMultiplier / 2));
      }
      this.adaptive = new io.interestfl.privacy.clipping.AdaptiveClipper(clipNorm, adaptiveSettings.targetQuantile,
          adaptiveSettings.learningRate, countNoiseStddev, random);
    } else {
      this.adaptive = null;
      this.countNoiseStddev = 0;
    }
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

  /** Clips an update in place to the current clip norm; returns the clipping result. */
  public ClipResult clip(float[] update) {
    return clipper.clip(update);
  }

  public double clipNorm() {
    return clipper.clipNorm();
  }

  /** The multiplier of the noise on the update: z, or z_delta when part of z pays for the count. */
  private double updateNoiseMultiplier() {
    return adaptive == null ? noiseMultiplier
        : io.interestfl.privacy.clipping.AdaptiveClipper.updateNoiseMultiplier(noiseMultiplier, countNoiseStddev);
  }

  /**
   * Records the round in the ledger (durably), then returns (sum + noise) / cohortSize. Throws
   * {@code PrivacyBudgetExceededException} without releasing anything if the budget would be exceeded.
   */
  public float[] release(long roundId, float[] sum, int cohortSize, int population, int unclippedUpdates) {
    try {
      ledger.spend(roundId, mechanism(cohortSize, population));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record round " + roundId + " in the privacy ledger", e);
    }
    float[] noisy = sum.clone();
    new GaussianNoise(updateNoiseMultiplier() * clipper.clipNorm(), random).addTo(noisy);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] /= cohortSize;
    }
    if (adaptive != null) {
      clipper = new L2Clipper(adaptive.update(unclippedUpdates, cohortSize));
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
        .put("adaptiveClipping", adaptive != null)
        .put("updateNoiseMultiplier", updateNoiseMultiplier())
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
