package io.interestfl.client.evaluation;

import io.interestfl.client.data.HeldOutBasket;
import io.interestfl.client.data.ItemCatalogue;

import java.util.List;

/**
 * Full-catalogue ranking evaluation of next-basket prediction.
 *
 * <ul>
 *   <li>Candidates: every item id in {@code [2, catalogueSize)}; ids 0 (padding) and 1 (OOV) are never
 *       ranked. Items already in the user's history are <em>not</em> excluded (repeat purchases are
 *       normal in retail and count as hits).</li>
 *   <li>Rank of item t (1-based): {@code 1 + #{candidates j : s[j] > s[t], or s[j] == s[t] and j < t}},
 *       i.e. ties are broken deterministically in favour of the lower id. NaN scores are treated as
 *       negative infinity.</li>
 *   <li>HR@K: 1 if some target has rank &lt;= K.</li>
 *   <li>NDCG@K: DCG = sum over targets with rank r &lt;= K of 1/log2(r+1); IDCG = sum_{r=1}^{min(|T|,K)}
 *       1/log2(r+1); binary relevance.</li>
 *   <li>MRR: 1 / (best full rank among the targets), not truncated at K.</li>
 * </ul>
 * Each metric is averaged over the test cases. The scorer is called with batches of
 * {@value #BATCH} histories.
 */
public final class RankingEvaluator {
    /** Histories per {@link Scorer#score} call. */
    public static final int BATCH = 256;

    private RankingEvaluator() {
    }

    public static RankingMetrics evaluate(Scorer scorer, List<HeldOutBasket> test, int k, int catalogueSize) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, got " + k);
        }
        if (catalogueSize <= ItemCatalogue.RESERVED) {
            throw new IllegalArgumentException("catalogueSize must be > 2, got " + catalogueSize);
        }
        if (test.isEmpty()) {
            return new RankingMetrics(0, 0, 0, 0);
        }
        double hits = 0, ndcg = 0, mrr = 0;
        for (int from = 0; from < test.size(); from += BATCH) {
            int to = Math.min(test.size(), from + BATCH);
            int[][] histories = new int[to - from][];
            for (int u = from; u < to; u++) {
                histories[u - from] = test.get(u).history();
            }
            float[][] scores = scorer.score(histories);
            if (scores.length != histories.length) {
                throw new IllegalStateException("scorer returned " + scores.length + " rows for "
                        + histories.length + " histories");
            }
            for (int u = from; u < to; u++) {
                float[] s = scores[u - from];
                if (s.length != catalogueSize) {
                    throw new IllegalStateException("scorer returned a row of length " + s.length
                            + ", expected the catalogue size " + catalogueSize);
                }
                int[] target = test.get(u).target();
                int best = Integer.MAX_VALUE;
                double dcg = 0;
                for (int t : target) {
                    if (t < ItemCatalogue.RESERVED || t >= catalogueSize) {
                        throw new IllegalArgumentException("customer " + test.get(u).customerId()
                                + ": target item id " + t + " not in [2, " + catalogueSize + ")");
                    }
                    int r = rank(s, t);
                    best = Math.min(best, r);
                    if (r <= k) {
                        dcg += 1.0 / log2(r + 1);
                    }
                }
                int ideal = Math.min(target.length, k);
                double idcg = 0;
                for (int r = 1; r <= ideal; r++) {
                    idcg += 1.0 / log2(r + 1);
                }
                if (best <= k) {
                    hits++;
                }
                ndcg += idcg == 0 ? 0 : dcg / idcg;
                mrr += best == Integer.MAX_VALUE ? 0 : 1.0 / best;
            }
        }
        int n = test.size();
        return new RankingMetrics(hits / n, ndcg / n, mrr / n, n);
    }

    /** 1-based full rank of item t among ids [2, s.length), ties to the lower id, NaN as -infinity. */
    static int rank(float[] s, int t) {
        float st = clean(s[t]);
        int better = 0;
        for (int j = ItemCatalogue.RESERVED; j < s.length; j++) {
            float sj = clean(s[j]);
            if (sj > st || (sj == st && j < t)) {
                better++;
            }
        }
        return better + 1;
    }

    private static float clean(float x) {
        return Float.isNaN(x) ? Float.NEGATIVE_INFINITY : x;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
