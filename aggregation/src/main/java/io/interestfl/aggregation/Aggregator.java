package io.interestfl.aggregation;

/**
 * One round's aggregation of plaintext client vectors, as a chain of stages (TFF's aggregation
 * process, NVIDIA FLARE's accept/aggregate shape): every client's vector is folded in as it arrives,
 * in memory O(model), and the round's aggregate comes out once, for the server step.
 *
 * <p>A stage either ends the chain ({@link WeightedMean}, {@link NoisySum}) or wraps the next one
 * ({@link Clipping}). Instances come from an {@link AggregationPipeline} and are used by one thread at
 * a time.
 */
public interface Aggregator {
  /**
   * Folds in one client's vector; a stage may change it in place (clipping does).
   *
   * @param examples the example count the client reported (> 0); how it weighs is the chain's business
   */
  void accept(float[] update, long examples);

  /** Vectors accepted so far. */
  int count();

  /** Accepted vectors a stage had to clip (0 without a clipping stage). */
  default int clipped() {
    return 0;
  }

  /** The round's aggregate; call once, after the last {@link #accept}. */
  float[] release();
}
