package io.interestfl.aggregation;

/**
 * Adaptive federated optimizers of Reddi et al. 2021 ("Adaptive Federated Optimization", Alg. 2):
 * the mean client delta is treated as a pseudo-gradient, with first moment
 * {@code m = b1 m + (1 - b1) d} and a second moment whose update distinguishes Adam from Yogi; the
 * step is {@code x += eta m / (sqrt(v) + tau)}. As in the paper, no bias correction.
 */
abstract class AdaptiveServerOptimizer implements AggregationStrategy {
  private final double learningRate;
  private final double beta1;
  final double beta2;
  private final double tau;
  private float[] m;
  private float[] v;

  AdaptiveServerOptimizer(double learningRate, double beta1, double beta2, double tau) {
    check("server learning rate", learningRate, 0, Double.MAX_VALUE);
    check("beta1", beta1, 0, 1);
    check("beta2", beta2, 0, 1);
    check("tau", tau, 0, Double.MAX_VALUE);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.tau = tau;
  }

  private static void check(String name, double value, double lowExclusive, double highExclusive) {
    if (!(value > lowExclusive && value < highExclusive)) {
      throw new IllegalArgumentException(name + " must be in (" + lowExclusive + ", "
          + (highExclusive == Double.MAX_VALUE ? "inf" : highExclusive) + "), got " + value);
    }
  }

  /** The second-moment update for one coordinate, given the previous value and the squared delta. */
  abstract double secondMoment(double previous, double squaredDelta);

  @Override
  public float[] apply(float[] global, float[] meanDelta) {
    if (m == null) {
      m = new float[global.length];
      v = new float[global.length];
      // Reddi et al. initialise v to tau^2 so that the first steps are not huge.
      java.util.Arrays.fill(v, (float) (tau * tau));
    }
    float[] next = new float[global.length];
    for (int i = 0; i < next.length; i++) {
      double d = meanDelta[i];
      m[i] = (float) (beta1 * m[i] + (1 - beta1) * d);
      v[i] = (float) secondMoment(v[i], d * d);
      next[i] = (float) (global[i] + learningRate * m[i] / (Math.sqrt(v[i]) + tau));
    }
    return next;
  }

  @Override
  public float[][] state() {
    return m == null ? new float[0][] : new float[][] {m.clone(), v.clone()};
  }

  @Override
  public void restore(float[][] state) {
    if (state.length == 0) {
      m = null;
      v = null;
      return;
    }
    if (state.length != 2 || state[0].length != state[1].length) {
      throw new IllegalArgumentException(name() + " state must be two vectors of equal length");
    }
    m = state[0].clone();
    v = state[1].clone();
  }
}
