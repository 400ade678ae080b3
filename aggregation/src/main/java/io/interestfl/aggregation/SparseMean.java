package io.interestfl.aggregation;

/**
 * Last stage of a non-private round for models with sparse rows (item embeddings): every coordinate is the weighted
 * mean over the clients whose delta <i>touched</i> it (was not exactly zero), not over the whole cohort. A client
 * whose customers never had an item leaves that item's embedding row exactly unchanged (Adam's step is zero where
 * the gradient always was), and under a plain mean its zero would pull every other client's update for the row
 * towards nothing, shrinking what the federation learns about each item by the share of clients that lack it.
 * Dense coordinates (every client touches them) get the plain weighted mean, so on a dense model this is
 * {@link WeightedMean}. Federated recommenders average item rows this way (e.g. FedRec, Lin et al. 2020).
 */
final class SparseMean implements Aggregator {
  private static final long serialVersionUID = 1L;
  private final Weighting weighting;
  private final double[] sum;
  private final double[] weight;
  private int count;

  SparseMean(Weighting weighting, int modelLength) {
    if (modelLength <= 0) {
      throw new IllegalArgumentException("model length must be > 0, got " + modelLength);
    }
    this.weighting = weighting;
    this.sum = new double[modelLength];
    this.weight = new double[modelLength];
  }

  @Override
  public void accept(float[] update, long examples) {
    double w = weighting.of(examples);
    WeightedMeanAccumulator.check(update, sum.length, w);
    for (int i = 0; i < update.length; i++) {
      if (update[i] != 0f) {
        sum[i] += w * update[i];
        weight[i] += w;
      }
    }
    count++;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void merge(Aggregator other) {
    if (!(other instanceof SparseMean o) || o.weighting != weighting || o.sum.length != sum.length) {
      throw new IllegalArgumentException("cannot merge " + other.getClass().getSimpleName() + " into this sparse mean");
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += o.sum[i];
      weight[i] += o.weight[i];
    }
    count += o.count;
  }

  @Override
  public float[] release() {
    if (count == 0) {
      throw new IllegalStateException("no update was accepted");
    }
    float[] mean = new float[sum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = weight[i] == 0 ? 0f : (float) (sum[i] / weight[i]);
    }
    return mean;
  }
}
