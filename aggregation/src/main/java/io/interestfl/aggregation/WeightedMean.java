package io.interestfl.aggregation;

/**
 * Last stage of a non-private round: the weighted mean of the accepted vectors (FedAvg's average),
 * accumulated in double by a {@link WeightedMeanAccumulator}.
 */
final class WeightedMean implements Aggregator {
  private static final long serialVersionUID = 1L;
  private final Weighting weighting;
  private final WeightedMeanAccumulator accumulator;

  WeightedMean(Weighting weighting, int modelLength) {
    this.weighting = weighting;
    this.accumulator = new WeightedMeanAccumulator(modelLength);
  }

  @Override
  public void accept(float[] update, long examples) {
    accumulator.accept(update, weighting.of(examples));
  }

  @Override
  public int count() {
    return accumulator.count();
  }

  @Override
  public float[] release() {
    return accumulator.mean();
  }

  @Override
  public void merge(Aggregator other) {
    if (!(other instanceof WeightedMean o) || o.weighting != weighting) {
      throw new IllegalArgumentException("cannot merge " + other.getClass().getSimpleName() + " into a "
          + weighting + "-weighted mean");
    }
    accumulator.merge(o.accumulator);
  }
}
