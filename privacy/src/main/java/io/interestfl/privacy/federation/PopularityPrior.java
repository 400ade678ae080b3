package io.interestfl.privacy.federation;

/**
 * Starts a model at popularity: the output bias becomes the log of each item's (noisy, privately released)
 * frequency, so that a model whose other weights are still near their small initial values ranks the
 * catalogue by popularity, and training only has to add what popularity misses.
 *
 * <p>{@code bias_i = log((max(0, count_i) + 1) / (sum + C))} minus its mean over the catalogue (softmax is
 * unchanged by a constant); padding (0) and OOV (1) get the smallest value.
 */
public final class PopularityPrior {
  private PopularityPrior() {}

  /** The bias vector for {@code counts} (length = catalogue size). */
  public static float[] bias(double[] counts) {
    int c = counts.length;
    double total = 0;
    for (int i = 2; i < c; i++) {
      total += Math.max(0, counts[i]);
    }
    double[] b = new double[c];
    double min = Double.POSITIVE_INFINITY;
    double mean = 0;
    for (int i = 2; i < c; i++) {
      b[i] = Math.log((Math.max(0, counts[i]) + 1) / (total + c));
      min = Math.min(min, b[i]);
    }
    b[0] = b[1] = c > 2 ? min : 0;
    for (double v : b) {
      mean += v / c;
    }
    float[] out = new float[c];
    for (int i = 0; i < c; i++) {
      out[i] = (float) (b[i] - mean);
    }
    return out;
  }

  /** Writes {@link #bias(double[])} of {@code counts} into {@code parameters} at {@code biasOffset}. */
  public static void applyTo(float[] parameters, int biasOffset, double[] counts) {
    if (biasOffset < 0 || biasOffset + counts.length > parameters.length) {
      throw new IllegalArgumentException("output bias at " + biasOffset + " of length " + counts.length
          + " does not fit a parameter vector of length " + parameters.length);
    }
    System.arraycopy(bias(counts), 0, parameters, biasOffset, counts.length);
  }
}
