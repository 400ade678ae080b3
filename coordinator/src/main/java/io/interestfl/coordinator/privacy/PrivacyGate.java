package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.protocol.v1.Task;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The federation's client-level differential privacy, seen from the round loop: whether a round may
 * open, the durable ledger record before anything derived from its aggregate exists, and what the
 * round's history entry, log line and {@code GET /status} say about it. Each mode also fixes the shape
 * of the {@link AggregationPipeline} (where the noise goes).
 */
public interface PrivacyGate extends AutoCloseable {
  /** The gate of {@code privacy.mode}: none, customer, central or distributed. */
  static PrivacyGate of(CoordinatorConfig config, int modelLength, int catalogueSize) {
    CoordinatorConfig.Privacy privacy = config.privacy;
    return switch (privacy.mode) {
      case "customer" -> new FederationCustomerPrivacy(config, modelLength, catalogueSize);
      case "central" -> new CentralPrivacy(privacy.clipNorm, privacy.noiseMultiplier,
          new PrivacyBudget(privacy.epsilon, privacy.delta), config.resolve(privacy.ledger), privacy.adaptiveClipping,
          config.cohortSize > 0 ? config.cohortSize : config.minClients);
      case "distributed" -> new DistributedPrivacy(privacy.clipNorm, privacy.noiseMultiplier, config.minUpdates,
          config.secureAggregation.precisionBits, modelLength, new PrivacyBudget(privacy.epsilon, privacy.delta),
          config.resolve(privacy.ledger));
      default -> new NoPrivacy(config.robustAggregation, config.training.driftCorrection, config.training.sparseRows,
          modelLength);
    };
  }

  /** The round's maths under this mode, ending in {@code serverStep}. */
  AggregationPipeline pipeline(AggregationStrategy serverStep, CoordinatorConfig.SecureAggregation secure);

  /** The federation's vector for an initial model (customer mode appends the released statistics). */
  default float[] initialState(float[] model) {
    return model;
  }

  /**
   * True when nodes run SCAFFOLD drift correction: the federation's vector is {@code [model | c]} and the server step
   * is {@code ControlVariates} (only without privacy: the mean gradients would be released unprotected).
   */
  default boolean driftCorrection() {
    return false;
  }

  /** Rounds that release statistics before the model rounds (added to {@code rounds}). */
  default int releaseRounds() {
    return 0;
  }

  /**
   * Called before a round of {@code cohortSize} opens, with the customers the registered merchants declared:
   * null, or why the federation must stop (e.g. no plan can reach the target).
   */
  default String prepare(long registeredCustomers, int cohortSize) {
    return null;
  }

  /** Null when a round from {@code modelVersion} with this cohort may open; otherwise why not (the federation stops). */
  String refusal(long modelVersion, int cohortSize, int population);

  /** The next global vector from the round's released aggregate ({@code contributors} survivors). */
  default float[] step(AggregationPipeline pipeline, long modelVersion, float[] global, float[] aggregate,
      int contributors) {
    return pipeline.step(global, aggregate);
  }

  /** Adds what clients must know of this mode to a task about {@code modelVersion} (nothing by default). */
  default void describe(Task.Builder task, long modelVersion, int cohortSize) {
  }

  /**
   * Records the round in the ledger (durably) before its aggregate is released, and notes in its
   * history {@code entry} what it costs; throws {@code PrivacyBudgetExceededException} when it would
   * exceed the budget.
   */
  void record(long roundId, long modelVersion, int cohortSize, int population, JsonObject entry);

  /** Notes in the history {@code entry} what the released round spent. */
  void released(JsonObject entry, int clippedUpdates);

  /** The end of the round's commit log line ("" without privacy). */
  String commitNote(JsonObject entry, int clippedUpdates, int participants);

  /** The {@code privacy} object of {@code GET /status}; null without privacy. */
  JsonObject status();

  @Override
  void close() throws IOException;
}
