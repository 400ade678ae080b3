package io.interestfl.coordinator.round;

/**
 * The round loop's state at one instant, for what only reads it (client requests, the status): the
 * phase, the open round (or null), the current model and its version, the last round opened and why
 * the federation stopped or failed (or null).
 */
record RoundView(RoundController.Phase phase, Round round, float[] model, long modelVersion, long lastRoundId,
                 String failure) {}
