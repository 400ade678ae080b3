package io.interestfl.interest.model;

/**
 * Result of {@link InterestModel#train}.
 *
 * @param meanLoss mean cross-entropy per example over all steps (weighted by batch size; 0 when no steps),
 *                 each step's loss measured before that step's update
 * @param examples training examples per epoch
 * @param steps    optimizer steps taken (all epochs)
 * @param seconds  wall-clock seconds
 */
public record TrainingStats(double meanLoss, int examples, int steps, double seconds) {
}
