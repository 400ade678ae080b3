package io.interestfl.aggregation;

/**
 * Makes one round's {@link Aggregator} chain (TFF's aggregation factory); what outlives a round, such
 * as an adaptive clip norm, stays in the factory.
 */
public interface AggregatorFactory {
  /**
   * @param modelLength values per client vector
   * @param cohortSize  clients sampled for the round (the fixed denominator of a DP mean)
   */
  Aggregator open(int modelLength, int cohortSize);
}
