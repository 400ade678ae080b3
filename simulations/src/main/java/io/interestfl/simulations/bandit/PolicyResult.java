package io.interestfl.simulations.bandit;

/**
 * What one policy achieved in one simulation. Series have one value per bucket of {@code bucketSteps} steps.
 *
 * @param policy               policy name
 * @param visits               slates served
 * @param reward               cumulative reward (clicks)
 * @param purchases            purchases
 * @param expectedReward       sum of the click probabilities of the slates shown (noise-free reward)
 * @param oracleReward         sum of the oracle's expected rewards on the same visits
 * @param regret               {@code oracleReward - expectedReward}
 * @param ctr                  clicks per impression
 * @param coverage             distinct items recommended in the last quarter of the horizon / catalogue size
 * @param meanBucketCoverage   mean over buckets of distinct items recommended in the bucket / catalogue size
 * @param novelty              mean self-information {@code -log2 p(i)} of recommended items (p: true popularity share)
 * @param exploreShare         share of slots labelled explore
 * @param bucketSteps          steps per bucket
 * @param cumulativeReward     cumulative reward at the end of each bucket
 * @param ctrSeries            CTR within each bucket
 * @param coverageSeries       coverage within each bucket
 * @param regretSeries         cumulative regret at the end of each bucket
 * @param seconds              wall-clock time of the run
 */
public record PolicyResult(String policy, long visits, long reward, long purchases, double expectedReward,
                           double oracleReward, double regret, double ctr, double coverage, double meanBucketCoverage,
                           double novelty, double exploreShare, int bucketSteps, double[] cumulativeReward,
                           double[] ctrSeries, double[] coverageSeries, double[] regretSeries, double seconds) {
}
