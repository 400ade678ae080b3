package io.interestfl.aggregation;

/**
 * Last stage of a round under central DP: the plain sum of the (clipped) vectors, every client
 * counting once whatever it reported, plus {@link CentralNoise}, divided by the cohort size fixed when
 * the round opened (not by the number that arrived, which would make the sensitivity data-dependent).
 */
final class NoisySum implements Aggregator {
  private static final long serialVersionUID = 1L;
  /** The round's noise; a copy on a partition has none (it is merged, never released). */
  private final transient CentralNoise noise;
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
  public void merge(Aggregator other) {
    if (!(other instanceof NoisySum o) || o.cohortSize != cohortSize) {
      throw new IllegalArgumentException("cannot merge " + other.getClass().getSimpleName() + " into a noisy sum");
    }
    sum.merge(o.sum);
  }

  @Override
  public float[] release() {
    if (noise == null) {
      throw new IllegalStateException("a partition's copy of the round is merged into the round's aggregator, "
          + "not released");
    }
    float[] noisy = sum.sum();
    noise.addTo(noisy);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] /= cohortSize;
    }
    return noisy;
  }
}
