package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/**
 * LinUCB (Li et al. 2010) on the per-customer linear model plus the item-level term and the customer's category
 * effect: score {@code mu . v_i + b_i + delta_i + gamma_c(i) + alpha sigma sqrt(v_i^T A^-1 v_i + 1 / (itemPrior + n_i)
 * + 1 / (categoryPrior + n_c(i)))}, top-k. A slot is explore when its item is not in
 * the greedy (posterior-mean) top-k. Cost per slate: O(n d^2).
 */
public final class LinUcbPolicy extends PosteriorPolicy {
    public LinUcbPolicy(ItemSpace items, PolicyConfig config) {
        super("linucb", items, config);
    }

    /**
     * The exploration bonus {@code alpha sigma sqrt(v^T A^-1 v + itemVar_i)} of every item (ids below firstItem: 0);
     * {@code itemVar} may be null (no item-level term).
     */
    static double[] bonuses(ItemSpace it, Estimate e, double alpha, double[] itemVar) {
        // Forward substitution L w = v for all items at once, coordinate by coordinate, so that the inner loop
        // runs over items (contiguous, vectorisable): v^T A^-1 v = |w|^2. O(n d^2 / 2), like one solve per item.
        int d = it.dimension(), n = it.size();
        double[][] cols = it.columns();
        double[] chol = e.chol();
        double[][] w = new double[d][];
        double[] q = new double[n];
        for (int i = 0; i < d; i++) {
            double[] wi = cols[i].clone();
            for (int j = 0; j < i; j++) {
                double lij = chol[i * d + j];
                if (lij != 0) {
                    double[] wj = w[j];
                    for (int k = 0; k < n; k++) {
                        wi[k] -= lij * wj[k];
                    }
                }
            }
            double inv = 1.0 / chol[i * d + i];
            for (int k = 0; k < n; k++) {
                wi[k] *= inv;
                q[k] += wi[k] * wi[k];
            }
            w[i] = wi;
        }
        double[] out = new double[n];
        for (int k = it.firstItem(); k < n; k++) {
            out[k] = alpha * e.sigma() * Math.sqrt(q[k] + (itemVar == null ? 0 : itemVar[k]));
        }
        return out;
    }

    @Override
    protected void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t) {
        double[] model = modelScores(it, e.mean(), e);
        double[] bonus = bonuses(it, e, config.ucbAlpha(), extraVariance(it, e));
        double[] ucb = new double[model.length];
        for (int i = 0; i < ucb.length; i++) {
            ucb[i] = model[i] + bonus[i];
        }
        fillAgainstGreedy(it, slate, withHead(it, e, ucb), withHead(it, e, model));
    }
}
