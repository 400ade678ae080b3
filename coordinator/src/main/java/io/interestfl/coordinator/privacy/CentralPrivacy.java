package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.CentralDp;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Client-level central differential privacy, DP-FedAvg (McMahan et al. 2018), for federations
 * without secure aggregation: the pipeline's {@link CentralDp} stages clip every update to L2 norm C
 * at the coordinator (whatever the client did), weight updates equally, add Gaussian noise N(0, (zC)^2)
 * to their sum and divide it by the cohort size fixed when the round opened.
 *
 * <p>Each round is accounted as one step of the Poisson-subsampled Gaussian with q = cohort size /
 * registered clients (the usual approximation for fixed-size cohorts), and recorded durably in the
 * {@link PrivacyLedger} before the noisy model is released. A round whose accounting would exceed
 * the budget is never opened.
 */
public final class CentralPrivacy implements PrivacyGate {
  private final double noiseMultiplier;
  private final CentralDp dp;
  private final RoundLedger ledger;

  /**
   * With {@code adaptiveSettings} enabled, the clip norm follows the {@code targetQuantile} of the
   * update norms; the unclipped count is released with N(0, countNoiseStddev^2) and, to keep the
   * round's total privacy at noise multiplier z, the update is noised with the larger z_delta =
   * (z^-2 - (2 sigma_b)^-2)^(-1/2) (Andrew et al. 2021).
   */
  public CentralPrivacy(double clipNorm, double noiseMultiplier, PrivacyBudget budget, Path ledgerFile,
      CoordinatorConfig.AdaptiveClipping adaptiveSettings, int expectedCohort) {
    if (!(noiseMultiplier > 0)) {
      throw new IllegalArgumentException("privacy.noise-multiplier must be > 0, got " + noiseMultiplier);
    }
    this.noiseMultiplier = noiseMultiplier;
    if (adaptiveSettings != null && adaptiveSettings.enabled) {
      double countNoiseStddev = adaptiveSettings.countNoiseStddev > 0 ? adaptiveSettings.countNoiseStddev
          : Math.max(1, expectedCohort) / 20.0;
      if (!(2 * countNoiseStddev > noiseMultiplier)) {
        throw new IllegalArgumentException(String.format("privacy.adaptive-clipping.count-noise-stddev %.3f is too small "
            + "for noise multiplier %.3f: the count's share of the budget needs 2 sigma_b > z (Andrew et al. 2021); "
            + "set count-noise-stddev above %.3f", countNoiseStddev, noiseMultiplier, noiseMultiplier / 2));
      }
      this.dp = CentralDp.adaptive(clipNorm, noiseMultiplier, adaptiveSettings.targetQuantile,
          adaptiveSettings.learningRate, countNoiseStddev);
    } else {
      this.dp = CentralDp.fixed(clipNorm, noiseMultiplier);
    }
    this.ledger = new RoundLedger(ledgerFile, budget);
  }

  public SubsampledGaussian mechanism(int cohortSize, int population) {
    return SubsampledGaussian.oneStep(Math.min(1.0, (double) cohortSize / Math.max(1, population)), noiseMultiplier);
  }

  @Override
  public AggregationPipeline pipeline(AggregationStrategy serverStep, CoordinatorConfig.SecureAggregation secure) {
    return AggregationPipeline.centralDp(dp, serverStep);
  }

  @Override
  public String refusal(long modelVersion, int cohortSize, int population) {
    return ledger.refusal(mechanism(cohortSize, population));
  }

  @Override
  public void record(long roundId, long modelVersion, int cohortSize, int population, JsonObject entry) {
    entry.put("clipNorm", dp.clipNorm().current());
    ledger.spend(roundId, mechanism(cohortSize, population));
  }

  @Override
  public void released(JsonObject entry, int clippedUpdates) {
    entry.put("epsilon", ledger.spent().epsilon()).put("clippedUpdates", clippedUpdates);
  }

  @Override
  public String commitNote(JsonObject entry, int clippedUpdates, int participants) {
    return String.format(", epsilon %.4f (delta %s), %d/%d updates clipped", entry.getDouble("epsilon"), ledger.delta(),
        clippedUpdates, participants);
  }

  @Override
  public JsonObject status() {
    return ledger.status(new JsonObject()
        .put("mode", "central")
        .put("clipNorm", dp.clipNorm().current())
        .put("adaptiveClipping", dp.clipNorm().isAdaptive())
        .put("updateNoiseMultiplier", dp.noise().updateNoiseMultiplier())
        .put("noiseMultiplier", noiseMultiplier));
  }

  @Override
  public void close() throws IOException {
    ledger.close();
  }
}
