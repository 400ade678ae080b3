package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.ItemCatalogue;

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

    /** {@link #evaluate(Scorer, List, int, int)} for a scorer that sees whole test cases. */
    public static RankingMetrics evaluateCases(CaseScorer scorer, List<HeldOutBasket> test, int k, int catalogueSize) {
        return evaluateLists(scorer, test, k, catalogueSize, new ItemPopularity(new int[catalogueSize], 0)).metrics();
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

    /**
     * Accuracy, coverage and novelty of the top-{@code k} lists (see {@link ListEvaluation}); the same
     * metric definitions as {@link #evaluate}, plus the list itself: the {@code k} best ids in
     * {@code [2, catalogueSize)} by score, ties to the lower id.
     */
    public static ListEvaluation evaluateLists(CaseScorer scorer, List<HeldOutBasket> test, int k, int catalogueSize,
                                               ItemPopularity popularity) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, got " + k);
        }
        if (catalogueSize <= ItemCatalogue.RESERVED) {
            throw new IllegalArgumentException("catalogueSize must be > 2, got " + catalogueSize);
        }
        double hits = 0, ndcgSum = 0, mrrSum = 0, novelty = 0;
        java.util.BitSet recommended = new java.util.BitSet(catalogueSize);
        int[] top = new int[k];
        for (int from = 0; from < test.size(); from += BATCH) {
            int to = Math.min(test.size(), from + BATCH);
            List<HeldOutBasket> batch = test.subList(from, to);
            float[][] scores = scorer.score(batch);
            if (scores.length != batch.size()) {
                throw new IllegalStateException("scorer returned " + scores.length + " rows for " + batch.size() + " cases");
            }
            for (int u = 0; u < batch.size(); u++) {
                float[] s = scores[u];
                if (s.length != catalogueSize) {
                    throw new IllegalStateException("scorer returned a row of length " + s.length
                            + ", expected the catalogue size " + catalogueSize);
                }
                int[] target = batch.get(u).target();
                int best = Integer.MAX_VALUE;
                double dcg = 0;
                for (int t : target) {
                    if (t < ItemCatalogue.RESERVED || t >= catalogueSize) {
                        throw new IllegalArgumentException("customer " + batch.get(u).customerId()
                                + ": target item id " + t + " not in [2, " + catalogueSize + ")");
                    }
                    int r = rank(s, t);
                    best = Math.min(best, r);
                    if (r <= k) {
                        dcg += 1.0 / log2(r + 1);
                    }
                }
                double idcg = 0;
                for (int r = 1; r <= Math.min(target.length, k); r++) {
                    idcg += 1.0 / log2(r + 1);
                }
                hits += best <= k ? 1 : 0;
                ndcgSum += idcg == 0 ? 0 : dcg / idcg;
                mrrSum += best == Integer.MAX_VALUE ? 0 : 1.0 / best;
                int n = topK(s, k, top);
                for (int i = 0; i < n; i++) {
                    recommended.set(top[i]);
                    novelty += popularity.selfInformation(top[i]);
                }
            }
        }
        return new ListEvaluation(k, test.size(), hits, ndcgSum, mrrSum, novelty, recommended,
                catalogueSize - ItemCatalogue.RESERVED);
    }

    /**
     * Writes the ids of the {@code k} best-scored items in {@code [2, s.length)} into {@code out} (best first;
     * ties to the lower id, NaN as -infinity) and returns how many were written (fewer when the catalogue is
     * smaller than k).
     */
    public static int topK(float[] s, int k, int[] out) {
        int n = 0;
        for (int j = ItemCatalogue.RESERVED; j < s.length; j++) {
            float sj = clean(s[j]);
            if (n == k && !(sj > clean(s[out[n - 1]]))) {
                continue;   // not better than the current k-th (a tie loses: j is a higher id)
            }
            int pos = n == k ? k - 1 : n++;
            while (pos > 0 && sj > clean(s[out[pos - 1]])) {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = j;
        }
        return n;
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
