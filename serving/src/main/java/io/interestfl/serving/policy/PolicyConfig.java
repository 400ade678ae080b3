package io.interestfl.serving.policy;

/**
 * Settings shared by the policies.
 *
 * @param lambda            prior precision of the per-customer linear model around the customer vector
 *                          (larger: trust the interest model more, learn less from recent feedback)
 * @param sigma             reward noise standard deviation (scales Thompson draws and UCB bonuses)
 * @param gamma             per-observation discount of a customer's statistics in (0, 1]; 1 forgets nothing
 * @param memory            observations kept per customer to rebuild the posterior on a new model's item vectors
 *                          (0: a new model forgets every customer)
 * @param epsilon           epsilon-greedy schedule
 * @param thompsonScale     multiplier of the posterior standard deviation in Thompson draws (1 = exact)
 * @param ucbAlpha          LinUCB's width: score = mean + alpha * sigma * sqrt(v^T A^-1 v + 1 / (itemPrior + n_i))
 * @param itemPrior         pseudo-count of the item-level uncertainty: an item shown {@code n_i} times (since it
 *                          entered the model, halved at each new model) has an extra score variance
 *                          {@code sigma^2 / (itemPrior + n_i)}; {@code +infinity} turns the term off
 * @param diversity         at most N items of one category per slate
 * @param coldStartExplore  fraction of a cold-start slate given to random exploratory items (rest: popular)
 * @param seed              seed of the policy's SplittableRandom
 * @param changeDetection   per-customer change detection on the exploit click rate ({@link ChangeDetection#OFF}: none)
 * @param itemOffsets       whether the item-level term also has a mean: a per-item offset {@code delta_i}, learnt from
 *                          this node's feedback since the model arrived and shared by all its customers, is added to
 *                          every policy's scores (a random effect with prior {@code N(0, sigma^2 / itemPrior)});
 *                          without it, what a node learns about an item reaches its other customers only through the
 *                          next model
 * @param categoryPrior     pseudo-count of the per-customer category effects: a customer's rewards on a category's items
 *                          (residuals against the rest of the model) give the category an effect
 *                          {@code gamma_uc = sum e / (categoryPrior + n_uc)} added to every item of it, with variance
 *                          {@code sigma^2 / (categoryPrior + n_uc)} that the exploring policies widen by; kept across
 *                          models, halved at each; {@code +infinity} turns them off (and needs no categories)
 */
public record PolicyConfig(double lambda, double sigma, double gamma, int memory, EpsilonSchedule epsilon, double thompsonScale,
                           double ucbAlpha, double itemPrior, DiversityConstraint diversity, double coldStartExplore, long seed,
                           ChangeDetection changeDetection, boolean itemOffsets, double categoryPrior) {
    /** Whether {@link #defaults} learns item-level offsets. */
    public static final boolean DEFAULT_ITEM_OFFSETS = true;
    /** {@link #defaults}' category pseudo-count. */
    public static final double DEFAULT_CATEGORY_PRIOR = 20;

    public PolicyConfig {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (memory < 0) {
            throw new IllegalArgumentException("memory must be >= 0, got " + memory);
        }
        if (!(thompsonScale >= 0)) {
            throw new IllegalArgumentException("thompsonScale must be >= 0, got " + thompsonScale);
        }
        if (!(ucbAlpha >= 0)) {
            throw new IllegalArgumentException("ucbAlpha must be >= 0, got " + ucbAlpha);
        }
        if (!(itemPrior > 0)) {
            throw new IllegalArgumentException("itemPrior must be > 0 (+infinity: off), got " + itemPrior);
        }
        if (!(categoryPrior > 0)) {
            throw new IllegalArgumentException("categoryPrior must be > 0 (+infinity: off), got " + categoryPrior);
        }
        if (!(coldStartExplore >= 0 && coldStartExplore <= 1)) {
            throw new IllegalArgumentException("coldStartExplore must be in [0, 1], got " + coldStartExplore);
        }
        java.util.Objects.requireNonNull(epsilon, "epsilon");
        java.util.Objects.requireNonNull(diversity, "diversity");
        java.util.Objects.requireNonNull(changeDetection, "changeDetection");
    }

    /** With the default category effects. */
    public PolicyConfig(double lambda, double sigma, double gamma, int memory, EpsilonSchedule epsilon, double thompsonScale,
                        double ucbAlpha, double itemPrior, DiversityConstraint diversity, double coldStartExplore, long seed,
                        ChangeDetection changeDetection, boolean itemOffsets) {
        this(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, seed,
                changeDetection, itemOffsets, DEFAULT_CATEGORY_PRIOR);
    }

    /** With the default item offsets and category effects. */
    public PolicyConfig(double lambda, double sigma, double gamma, int memory, EpsilonSchedule epsilon, double thompsonScale,
                        double ucbAlpha, double itemPrior, DiversityConstraint diversity, double coldStartExplore, long seed,
                        ChangeDetection changeDetection) {
        this(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, seed,
                changeDetection, DEFAULT_ITEM_OFFSETS);
    }

    /** Without change detection, with the default item offsets. */
    public PolicyConfig(double lambda, double sigma, double gamma, int memory, EpsilonSchedule epsilon, double thompsonScale,
                        double ucbAlpha, double itemPrior, DiversityConstraint diversity, double coldStartExplore, long seed) {
        this(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, seed,
                ChangeDetection.OFF);
    }

    /**
     * lambda 3, sigma 0.4, no discount, no memory, epsilon 0.1 decaying to 0.05 (halved after 20,000 slates),
     * Thompson scale 0.35, alpha 2.5, item pseudo-count 5 with item offsets, category pseudo-count 20, no diversity limit,
     * 30% cold-start exploration,
     * no change detection (tuned in the simulator on seed 7, docs/recommendations.md).
     */
    public static PolicyConfig defaults(long seed) {
        return new PolicyConfig(3.0, 0.4, 1.0, 0, new EpsilonSchedule(0.1, 0.05, 20_000), 0.35, 2.5, 5.0,
                DiversityConstraint.NONE, 0.3, seed);
    }

    public PolicyConfig withDiversity(DiversityConstraint d) {
        return new PolicyConfig(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, d, coldStartExplore, seed,
                changeDetection, itemOffsets, categoryPrior);
    }

    public PolicyConfig withChangeDetection(ChangeDetection c) {
        return new PolicyConfig(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity,
                coldStartExplore, seed, c, itemOffsets, categoryPrior);
    }

    public PolicyConfig withItemOffsets(boolean on) {
        return new PolicyConfig(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, seed,
                changeDetection, on, categoryPrior);
    }

    public PolicyConfig withCategoryPrior(double prior) {
        return new PolicyConfig(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, seed,
                changeDetection, itemOffsets, prior);
    }

    public PolicyConfig withSeed(long s) {
        return new PolicyConfig(lambda, sigma, gamma, memory, epsilon, thompsonScale, ucbAlpha, itemPrior, diversity, coldStartExplore, s,
                changeDetection, itemOffsets, categoryPrior);
    }
}
