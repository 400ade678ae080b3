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
public interface Aggregator extends java.io.Serializable {
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

  /**
   * Folds in what another aggregator of the same round accepted (sums are additive: a round split over
   * partitions, each folded into a copy of this round's empty aggregator, then merged, aggregates what one chain
   * fed every update would, up to the order of double additions). The copies travel by Java serialization to the
   * partitions (Spark's treeAggregate); only the round's own instance, on the driver, is released: what it releases
   * with (the noise, the adaptive clip norm) does not travel.
   *
   * @throws UnsupportedOperationException for a stage that needs every update at once (the trimmed mean)
   * @throws IllegalArgumentException      for an aggregator of another kind or length
   */
  default void merge(Aggregator other) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be split over partitions");
  }
}
