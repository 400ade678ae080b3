package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.DistributedNoiseCalibration;
import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.privacy.accounting.ZcdpMechanism;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Client-level distributed DP under secure aggregation (Kairouz, Liu, Steinke 2021): every client
 * clips its update to L2 norm C, quantizes it with weight 1 and adds its share of discrete Gaussian
 * noise, so the coordinator only ever unmasks a sum that already carries noise
 * ({@link DistributedNoiseCalibration} has the arithmetic). Clients only receive the numbers they
 * need: the quantizer's coordinate range and the per-client noise variance. Each round is accounted
 * as rho-zCDP and recorded in the ledger before the model derived from it is released.
 */
public final class DistributedPrivacy implements PrivacyGate {
  private final double clipNorm;
  private final double noiseMultiplier;
  private final int minContributors;
  private final DistributedNoiseCalibration calibration;
  private final RoundLedger ledger;

  public DistributedPrivacy(double clipNorm, double noiseMultiplier, int minContributors, int precisionBits,
      long dimension, PrivacyBudget budget, Path ledgerFile) {
    this.calibration = new DistributedNoiseCalibration(clipNorm, noiseMultiplier, minContributors, precisionBits,
        dimension);
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.minContributors = minContributors;
    this.ledger = new RoundLedger(ledgerFile, budget);
  }

  /** Coordinate range r the quantizer must use (clients clip to L2 norm C first). */
  public double clipRange() {
    return calibration.clipRange();
  }

  /** Variance of the discrete Gaussian each client adds, in quantization levels squared. */
  public double perClientVariance() {
    return calibration.perClientVariance();
  }

  public ZcdpMechanism mechanism() {
    return new ZcdpMechanism(calibration.rhoPerRound());
  }

  @Override
  public AggregationPipeline pipeline(AggregationStrategy serverStep, CoordinatorConfig.SecureAggregation secure) {
    return AggregationPipeline.secure(new SecureQuantization(clipRange(), secure.maxWeight, secure.precisionBits),
        serverStep);
  }

  /** Null when one more round fits the budget; otherwise why not (the cohort does not matter). */
  @Override
  public String refusal(long modelVersion, int cohortSize, int population) {
    return ledger.refusal(mechanism());
  }

  /** The unmasked sum is already noised: the round is recorded before anything is derived from it. */
  @Override
  public void record(long roundId, long modelVersion, int cohortSize, int population, JsonObject entry) {
    ledger.spend(roundId, mechanism());
    entry.put("epsilon", ledger.spent().epsilon());
  }

  @Override
  public void released(JsonObject entry, int clippedUpdates) {
  }

  @Override
  public String commitNote(JsonObject entry, int clippedUpdates, int participants) {
    return String.format(", epsilon %.4f (delta %s, distributed)", entry.getDouble("epsilon"), ledger.delta());
  }

  @Override
  public JsonObject status() {
    return ledger.status(new JsonObject()
        .put("mode", "distributed")
        .put("clipNorm", clipNorm)
        .put("noiseMultiplier", noiseMultiplier)
        .put("minContributors", minContributors)
        .put("rhoPerRound", calibration.rhoPerRound()));
  }

  @Override
  public void close() throws IOException {
    ledger.close();
  }
}
