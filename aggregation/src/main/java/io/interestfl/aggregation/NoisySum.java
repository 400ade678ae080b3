package io.interestfl.aggregation;

/**
 * Last stage of a round under central DP: the plain sum of the (clipped) vectors, every client
 * counting once whatever it reported, plus {@link CentralNoise}, divided by the cohort size fixed when
 * the round opened (not by the number that arrived, which would make the sensitivity data-dependent).
 */
final class NoisySum implements Aggregator {
  private final CentralNoise noise;
  private final WeightedMeanAccumulator sum;
  private final int cohortSize;

  NoisySum(CentralNoise noise, int modelLength, int cohortSize) {
    this.noise = noise;
    this.sum = new WeightedMeanAccumulator(modelLength);
    this.cohortSize = cohortSize;
  }

  @Override
  public void accept(float[] update, long examples) {
    sum.accept(update, 1.0);
  }

  @Override
  public int count() {
    return sum.count();
  }

  @Override
  public float[] release() {
    float[] noisy = sum.sum();
    noise.addTo(noisy);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] /= cohortSize;
    }
    return noisy;
  }
}
