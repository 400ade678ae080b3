package io.interestfl.aggregation;

/**
 * FedAvg with server momentum (FedAvgM, Hsu, Qi and Brown 2019): the mean client delta feeds a
 * heavy-ball velocity {@code v = beta v + d}, and the model moves by {@code eta v}. In steady state a
 * round moves the model {@code eta / (1 - beta)} times its mean delta, which makes up for clients that
 * each take only a few local steps per round; {@code beta = 0} is {@link FedAvg}.
 */
public final class FedAvgM implements AggregationStrategy {
  private final double learningRate;
  private final double momentum;
  private float[] velocity;

  public FedAvgM(double learningRate, double momentum) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("server learning rate must be > 0, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("server momentum must be in [0, 1), got " + momentum);
    }
    this.learningRate = learningRate;
    this.momentum = momentum;
  }

  @Override
  public String name() {
    return "fedavgm";
  }

  @Override
  public float[] apply(float[] global, float[] meanDelta) {
    if (meanDelta.length != global.length) {
      throw new IllegalArgumentException("mean delta has " + meanDelta.length + " values, the model has "
          + global.length);
    }
    if (velocity == null) {
      velocity = new float[global.length];
    }
    float[] next = new float[global.length];
    for (int i = 0; i < next.length; i++) {
      velocity[i] = (float) (momentum * velocity[i] + meanDelta[i]);
      next[i] = (float) (global[i] + learningRate * velocity[i]);
    }
    return next;
  }

  @Override
  public float[][] state() {
    return velocity == null ? new float[0][] : new float[][] {velocity.clone()};
  }

  @Override
  public void restore(float[][] state) {
    if (state.length == 0) {
      velocity = null;
      return;
    }
    if (state.length != 1) {
      throw new IllegalArgumentException("fedavgm keeps one vector (the velocity), got " + state.length);
    }
    velocity = state[0].clone();
  }
}
