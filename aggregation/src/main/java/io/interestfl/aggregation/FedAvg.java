package io.interestfl.aggregation;

/**
 * FedAvg (McMahan et al. 2017): the new model is the old one plus {@code serverLearningRate} times
 * the example-weighted mean of the client deltas. With rate 1 it equals the weighted mean of the
 * client models.
 */
public final class FedAvg implements AggregationStrategy {
  private final double serverLearningRate;

  public FedAvg(double serverLearningRate) {
    if (!(serverLearningRate > 0)) {
      throw new IllegalArgumentException("server learning rate must be > 0, got " + serverLearningRate);
    }
    this.serverLearningRate = serverLearningRate;
  }

  @Override
  public String name() {
    return "fedavg";
  }

  @Override
  public float[] apply(float[] global, float[] meanDelta) {
    float[] next = new float[global.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (global[i] + serverLearningRate * meanDelta[i]);
    }
    return next;
  }
}
