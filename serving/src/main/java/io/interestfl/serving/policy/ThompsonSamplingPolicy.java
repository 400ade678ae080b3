package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/**
 * Linear Thompson sampling: one draw {@code theta ~ N(mu, (scale sigma)^2 A^-1)} per slate plus, per item, one
 * draw of the item-level term {@code beta_i ~ N(delta_i, (scale sigma)^2 / (itemPrior + n_i))} and, per category,
 * one draw of the customer's category effect {@code g_c ~ N(gamma_c, (scale sigma)^2 / (categoryPrior + n_c))};
 * top-k by the sampled {@code theta . v_i + b_i + beta_i + g_c(i)}. A slot is explore when its item is not in the greedy (posterior-mean) top-k.
 * Cost per slate: one d x d Cholesky plus O(n d).
 */
public final class ThompsonSamplingPolicy extends PosteriorPolicy {
    public ThompsonSamplingPolicy(ItemSpace items, PolicyConfig config) {
        super("thompson", items, config);
    }

    @Override
    protected void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t) {
        double[] theta = LinearPosteriorSampler.sample(e, config.thompsonScale(), it.dimension(), rng);
        double[] sampled = modelScores(it, theta, e);
        double[] itemVar = itemVariance(it);
        double sd = config.thompsonScale() * e.sigma();
        for (int i = it.firstItem(); i < sampled.length; i++) {
            if (itemVar[i] > 0) {
                sampled[i] += sd * Math.sqrt(itemVar[i]) * LinearAlgebra.gaussian(rng);
            }
        }
        if (e.categoryVariance() != null) {
            // one draw per category, shared by its items: the customer's category effect is one random variable
            double[] categoryDraw = new double[e.categoryVariance().length];
            for (int cat = 0; cat < categoryDraw.length; cat++) {
                categoryDraw[cat] = sd * Math.sqrt(e.categoryVariance()[cat]) * LinearAlgebra.gaussian(rng);
            }
            for (int i = it.firstItem(); i < sampled.length; i++) {
                int cat = it.category(i);
                if (cat >= 0 && cat < categoryDraw.length) {
                    sampled[i] += categoryDraw[cat];
                }
            }
        }
        fillAgainstGreedy(it, slate, withHead(it, e, sampled), scores(it, e.mean(), e));
    }

    /** Draws from the posterior of an {@link Estimate}. */
    static final class LinearPosteriorSampler {
        private LinearPosteriorSampler() {
        }

        static double[] sample(Estimate e, double scale, int d, SplittableRandom rng) {
            double[] z = new double[d];
            for (int i = 0; i < d; i++) {
                z[i] = LinearAlgebra.gaussian(rng);
            }
            double[] w = LinearAlgebra.solveUpperTransposed(e.chol(), d, z);   // ~ N(0, A^-1)
            double[] theta = new double[d];
            for (int i = 0; i < d; i++) {
                theta[i] = e.mean()[i] + scale * e.sigma() * w[i];
            }
            return theta;
        }
    }
}
