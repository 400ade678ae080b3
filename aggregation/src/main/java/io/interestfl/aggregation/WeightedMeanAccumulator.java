package io.interestfl.aggregation;

/**
 * Streaming example-weighted mean of update vectors (NVIDIA FLARE's accept/aggregate shape): each
 * update is folded in as it arrives, in double precision so that the order of arrival does not
 * change the result beyond float rounding. Memory is one model, whatever the number of clients.
 */
public final class WeightedMeanAccumulator implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] weightedSum;
  private double totalWeight;
  private int count;

  public WeightedMeanAccumulator(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("model length must be > 0, got " + length);
    }
    this.weightedSum = new double[length];
  }

  public void accept(float[] update, double weight) {
    check(update, weightedSum.length, weight);
    for (int i = 0; i < update.length; i++) {
      weightedSum[i] += weight * update[i];
    }
    totalWeight += weight;
    count++;
  }

  /** Rejects an update of the wrong length or a weight that is not a positive number (every aggregator's check). */
  static void check(float[] update, int modelLength, double weight) {
    if (update.length != modelLength) {
      throw new IllegalArgumentException("update has " + update.length + " values, the model has " + modelLength);
    }
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("update weight must be a positive number, got " + weight);
    }
  }

  public int count() {
    return count;
  }

  /** Adds what {@code other} accepted: its weighted sum, total weight and count. */
  public void merge(WeightedMeanAccumulator other) {
    if (other.weightedSum.length != weightedSum.length) {
      throw new IllegalArgumentException("cannot merge an accumulator of length " + other.weightedSum.length
          + " into one of length " + weightedSum.length);
    }
    for (int i = 0; i < weightedSum.length; i++) {
      weightedSum[i] += other.weightedSum[i];
    }
    totalWeight += other.totalWeight;
    count += other.count;
  }

  public double totalWeight() {
    return totalWeight;
  }

  /** The weighted sum (with unit weights: the plain sum), rounded to float. */
  public float[] sum() {
    float[] sum = new float[weightedSum.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (float) weightedSum[i];
    }
    return sum;
  }

  public float[] mean() {
    if (count == 0) {
      throw new IllegalStateException("no update was accepted");
    }
    float[] mean = new float[weightedSum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (weightedSum[i] / totalWeight);
    }
    return mean;
  }
}
