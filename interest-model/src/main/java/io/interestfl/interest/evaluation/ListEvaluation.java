package io.interestfl.interest.evaluation;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy and beyond-accuracy figures of top-K lists over a set of test cases, kept as sums so that
 * the results of several clients {@link #combine combine} into exact overall figures (accuracy weighted
 * by test cases, coverage over the union of recommended items).
 *
 * <ul>
 *   <li>HR@K, NDCG@K, MRR: as in {@link RankingEvaluator}.</li>
 *   <li>Coverage: distinct items appearing in any top-K list / products in the catalogue
 *       ({@code catalogueSize - 2}).</li>
 *   <li>Novelty: mean self-information {@code -log2((u(i) + 1) / (U + 1))} of the recommended items, where
 *       u(i) is the number of training customers who interacted with item i and U the number of training
 *       customers (Zhou et al. 2010); higher means less mainstream.</li>
 * </ul>
 */
public record ListEvaluation(int k, int users, double hitSum, double ndcgSum, double mrrSum, double noveltySum,
                             BitSet recommended, int products) {
    public ListEvaluation {
        recommended = (BitSet) recommended.clone();
    }

    @Override
    public BitSet recommended() {
        return (BitSet) recommended.clone();
    }

    public RankingMetrics metrics() {
        return users == 0 ? new RankingMetrics(0, 0, 0, 0)
                : new RankingMetrics(hitSum / users, ndcgSum / users, mrrSum / users, users);
    }

    public double hitRate() {
        return users == 0 ? 0 : hitSum / users;
    }

    public double ndcg() {
        return users == 0 ? 0 : ndcgSum / users;
    }

    public double mrr() {
        return users == 0 ? 0 : mrrSum / users;
    }

    /** Fraction of the catalogue's products recommended to someone. */
    public double coverage() {
        return products == 0 ? 0 : recommended.cardinality() / (double) products;
    }

    /** Mean self-information (bits) of the recommended items. */
    public double novelty() {
        return users == 0 ? 0 : noveltySum / ((double) users * k);
    }

    /** Exact union of evaluations of disjoint test sets with the same K and catalogue. */
    public static ListEvaluation combine(List<ListEvaluation> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        int k = parts.get(0).k, products = parts.get(0).products, users = 0;
        double h = 0, n = 0, m = 0, nov = 0;
        BitSet rec = new BitSet();
        for (ListEvaluation p : parts) {
            if (p.k != k || p.products != products) {
                throw new IllegalArgumentException("cannot combine K=" + p.k + "/" + p.products + " products with K="
                        + k + "/" + products);
            }
            users += p.users;
            h += p.hitSum;
            n += p.ndcgSum;
            m += p.mrrSum;
            nov += p.noveltySum;
            rec.or(p.recommended);
        }
        return new ListEvaluation(k, users, h, n, m, nov, rec, products);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HR@%d=%.4f NDCG@%d=%.4f MRR=%.4f coverage=%.3f novelty=%.2f users=%d", k,
                hitRate(), k, ndcg(), mrr(), coverage(), novelty(), users);
    }
}
