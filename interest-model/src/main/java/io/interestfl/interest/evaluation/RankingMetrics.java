package io.interestfl.interest.evaluation;

import java.util.Locale;

/**
 * Mean ranking metrics over {@code users} test cases (all 0 when {@code users == 0}).
 *
 * @param hitRate HR@K: fraction of users with at least one target item in the top K
 * @param ndcg    NDCG@K with binary relevance
 * @param mrr     mean reciprocal full rank of the best-ranked target item (not truncated at K)
 * @param users   number of test cases
 */
public record RankingMetrics(double hitRate, double ndcg, double mrr, int users) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HR=%.4f NDCG=%.4f MRR=%.4f users=%d", hitRate, ndcg, mrr, users);
    }
}
