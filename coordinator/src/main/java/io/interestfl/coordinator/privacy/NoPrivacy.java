package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.ControlVariates;
import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.aggregation.Weighting;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.vertx.core.json.JsonObject;

/**
 * {@code privacy.mode: none}: every round may open, nothing is recorded, and the updates are
 * averaged by their example counts (in the clear or under secure aggregation), or, with
 * {@code robust-aggregation}, combined by their coordinate-wise trimmed mean or median. With
 * {@code training.drift-correction} (off by default) the vector is {@code [model | c]} and the updates
 * {@code [delta | c_i]}, whichever of those combines them; {@link ControlVariates} steps the model half. With
 * {@code training.sparse-rows} (plain updates only) each coordinate is the mean over the nodes that changed it.
 */
final class NoPrivacy implements PrivacyGate {
  private final CoordinatorConfig.RobustAggregation robust;
  private final boolean driftCorrection;
  private final boolean sparseRows;
  private final int modelLength;

  NoPrivacy(CoordinatorConfig.RobustAggregation robust, boolean driftCorrection, boolean sparseRows, int modelLength) {
    this.robust = robust;
    this.driftCorrection = driftCorrection;
    this.sparseRows = sparseRows;
    this.modelLength = modelLength;
  }

  @Override
  public boolean driftCorrection() {
    return driftCorrection;
  }

  @Override
  public float[] initialState(float[] model) {
    return driftCorrection ? ControlVariates.initialState(model) : model;
  }

  @Override
  public AggregationPipeline pipeline(AggregationStrategy optimizer, CoordinatorConfig.SecureAggregation secure) {
    AggregationStrategy serverStep = driftCorrection ? new ControlVariates(optimizer, modelLength) : optimizer;
    if (secure.enabled) {
      return AggregationPipeline.secure(new SecureQuantization(secure.clipRange, secure.maxWeight,
          secure.precisionBits), serverStep);
    }
    return switch (robust.method) {
      case "median" -> AggregationPipeline.median(serverStep);
      case "trimmed-mean" -> AggregationPipeline.trimmedMean(robust.trimFraction, serverStep);
      default -> sparseRows ? AggregationPipeline.sparseMean(Weighting.EXAMPLES, serverStep)
          : AggregationPipeline.mean(Weighting.EXAMPLES, serverStep);
    };
  }

  @Override
  public String refusal(long modelVersion, int cohortSize, int population) {
    return null;
  }

  @Override
  public void record(long roundId, long modelVersion, int cohortSize, int population, JsonObject entry) {
  }

  @Override
  public void released(JsonObject entry, int clippedUpdates) {
  }

  @Override
  public String commitNote(JsonObject entry, int clippedUpdates, int participants) {
    return "";
  }

  @Override
  public JsonObject status() {
    return null;
  }

  @Override
  public void close() {
  }
}
