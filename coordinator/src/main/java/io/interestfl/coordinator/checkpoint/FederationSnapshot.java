package io.interestfl.coordinator.checkpoint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Everything needed to resume a federation after a restart, taken right after a commit. */
public record FederationSnapshot(
    long modelVersion,
    long lastRoundId,
    float[] model,
    String modelDescription,
    float[][] optimizerState,
    JsonArray history,
    JsonObject evaluations) {}
