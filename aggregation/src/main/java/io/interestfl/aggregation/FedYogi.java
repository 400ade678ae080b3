package io.interestfl.aggregation;

/**
 * FedYogi (Reddi et al. 2021): {@code v = v - (1 - b2) d^2 sign(v - d^2)}, which grows v more
 * gently than Adam when gradients get large, and is often more stable on non-IID clients.
 */
public final class FedYogi extends AdaptiveServerOptimizer {
  public FedYogi(double learningRate, double beta1, double beta2, double tau) {
    super(learningRate, beta1, beta2, tau);
  }

  @Override
  public String name() {
    return "fedyogi";
  }

  @Override
  double secondMoment(double previous, double squaredDelta) {
    return previous - (1 - beta2) * squaredDelta * Math.signum(previous - squaredDelta);
  }
}
