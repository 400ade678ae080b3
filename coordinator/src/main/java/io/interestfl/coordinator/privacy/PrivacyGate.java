package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The federation's client-level differential privacy, seen from the round loop: whether a round may
 * open, the durable ledger record before anything derived from its aggregate exists, and what the
 * round's history entry, log line and {@code GET /status} say about it. Each mode also fixes the shape
 * of the {@link AggregationPipeline} (where the noise goes).
 */
public interface PrivacyGate extends AutoCloseable {
  /** The gate of {@code privacy.mode}: none, central or distributed. */
  static PrivacyGate of(CoordinatorConfig config, int modelLength) {
    CoordinatorConfig.Privacy privacy = config.privacy;
    return switch (privacy.mode) {
      case "central" -> new CentralPrivacy(privacy.clipNorm, privacy.noiseMultiplier,
          new PrivacyBudget(privacy.epsilon, privacy.delta), config.resolve(privacy.ledger), privacy.adaptiveClipping,
          config.cohortSize > 0 ? config.cohortSize : config.minClients);
      case "distributed" -> new DistributedPrivacy(privacy.clipNorm, privacy.noiseMultiplier, config.minUpdates,
          config.secureAggregation.precisionBits, modelLength, new PrivacyBudget(privacy.epsilon, privacy.delta),
          config.resolve(privacy.ledger));
      default -> new NoPrivacy();
    };
  }

  /** The round's maths under this mode, ending in {@code serverStep}. */
  AggregationPipeline pipeline(AggregationStrategy serverStep, CoordinatorConfig.SecureAggregation secure);

  /** Null when a round with this cohort may open; otherwise why not (the federation stops). */
  String refusal(int cohortSize, int population);

  /**
   * Records the round in the ledger (durably) before its aggregate is released, and notes in its
   * history {@code entry} what it costs; throws {@code PrivacyBudgetExceededException} when it would
   * exceed the budget.
   */
  void record(long roundId, int cohortSize, int population, JsonObject entry);

  /** Notes in the history {@code entry} what the released round spent. */
  void released(JsonObject entry, int clippedUpdates);

  /** The end of the round's commit log line ("" without privacy). */
  String commitNote(JsonObject entry, int clippedUpdates, int participants);

  /** The {@code privacy} object of {@code GET /status}; null without privacy. */
  JsonObject status();

  @Override
  void close() throws IOException;
}
