package io.interestfl.aggregation;

/** FedAdam (Reddi et al. 2021): {@code v = b2 v + (1 - b2) d^2}. */
public final class FedAdam extends AdaptiveServerOptimizer {
  public FedAdam(double learningRate, double beta1, double beta2, double tau) {
    super(learningRate, beta1, beta2, tau);
  }

  @Override
  public String name() {
    return "fedadam";
  }

  @Override
  double secondMoment(double previous, double squaredDelta) {
    return beta2 * previous + (1 - beta2) * squaredDelta;
  }
}
