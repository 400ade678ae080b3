package io.interestfl.aggregation;

/**
 * How the coordinator turns one round of client updates into the next global model.
 *
 * <p>The client updates are folded into a {@link WeightedMeanAccumulator} as they arrive (memory
 * O(model), whatever the cohort size); at the end of the round the strategy's server optimizer turns
 * the example-weighted mean delta (the "pseudo-gradient" of Reddi et al. 2021, negated) into a new
 * model. FedAvg applies it as is; FedAdam and FedYogi keep moment estimates across rounds.
 */
public interface AggregationStrategy {
  String name();

  /** Returns the next global model; must not modify {@code global} or {@code meanDelta}. */
  float[] apply(float[] global, float[] meanDelta);

  /** Optimizer state to checkpoint (empty for stateless strategies); restored by {@link #restore}. */
  default float[][] state() {
    return new float[0][];
  }

  default void restore(float[][] state) {
    if (state.length != 0) {
      throw new IllegalArgumentException(name() + " has no state, got " + state.length + " vectors");
    }
  }
}
