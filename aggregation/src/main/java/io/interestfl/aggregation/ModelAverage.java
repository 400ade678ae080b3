package io.interestfl.aggregation;

/**
 * Server step for clients that send their trained models rather than deltas (the in-process
 * simulator): the weighted mean of the client models is the next global model, FedAvg as McMahan et
 * al. 2017 write it (Algorithm 1). Equal to {@link FedAvg} with rate 1 on deltas up to float rounding.
 */
public final class ModelAverage implements AggregationStrategy {
  @Override
  public String name() {
    return "model-average";
  }

  @Override
  public float[] apply(float[] global, float[] meanModel) {
    if (meanModel.length != global.length) {
      throw new IllegalArgumentException("mean model has " + meanModel.length + " values, the model has "
          + global.length);
    }
    return meanModel.clone();
  }
}
