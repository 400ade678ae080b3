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
  private final WeightedMeanAccumulator sum;
  private final double expectedCustomers;

  public CustomerDpMean(int modelLength, CustomerDpRound round) {
    this.sum = new WeightedMeanAccumulator(modelLength);
    this.expectedCustomers = round.expectedCustomers();
  }

  @Override
  public void accept(float[] merchantSum, long examples) {
    for (int i = 0; i < merchantSum.length; i++) {
      if (!Float.isFinite(merchantSum[i])) {
        throw new IllegalArgumentException("merchant sum entry " + i + " is not finite: " + merchantSum[i]);
      }
    }
    sum.accept(merchantSum, 1.0);
  }

  @Override
  public int count() {
    return sum.count();
  }

  @Override
  public float[] release() {
    return sum.sumOver(expectedCustomers);
  }
}
