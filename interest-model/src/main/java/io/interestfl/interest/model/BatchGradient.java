package io.interestfl.interest.model;

/**
 * Gradient of a micro-batch ({@link NetworkTrainer#gradient}): flat, in {@link InterestModel#parameters()}
 * order, and the mean loss before any step.
 */
record BatchGradient(float[] gradient, double meanLoss) {
}
