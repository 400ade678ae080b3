package io.interestfl.aggregation;

import io.interestfl.privacy.federation.CustomerDpRound;

/**
 * Last stage of a round of federation-wide customer-level DP ({@link CustomerDpRound}): the plain sum
 * of the merchants' vectors (each already the clipped sum of its sampled customers plus its noise share),
 * every merchant counting once whatever it reported, divided by the expected number of sampled customers
 * q N fixed by the round (not by any realised count, which is private). The server optimizer then takes
 * its step from it.
 */
public final class CustomerDpMean implements Aggregator {
  private final double[] sum;
  private final double expectedCustomers;
  private int count;

  public CustomerDpMean(int modelLength, CustomerDpRound round) {
    this.sum = new double[modelLength];
    this.expectedCustomers = round.expectedCustomers();
  }

  @Override
  public void accept(float[] merchantSum, long examples) {
    if (merchantSum.length != sum.length) {
      throw new IllegalArgumentException("merchant sum has length " + merchantSum.length + ", the model "
          + sum.length);
    }
    for (int i = 0; i < sum.length; i++) {
      if (!Float.isFinite(merchantSum[i])) {
        throw new IllegalArgumentException("merchant sum entry " + i + " is not finite: " + merchantSum[i]);
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += merchantSum[i];
    }
    count++;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public float[] release() {
    float[] mean = new float[sum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (sum[i] / expectedCustomers);
    }
    return mean;
  }
}
