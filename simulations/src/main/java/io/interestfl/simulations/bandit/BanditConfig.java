package io.interestfl.simulations.bandit;

/**
 * Settings of one bandit simulation.
 *
 * @param customers        synthetic customers
 * @param items            catalogue size
 * @param categories       item categories (interest clusters)
 * @param latentDim        dimension of the true interest / item vectors
 * @param modelDim         dimension of the learnt (federated matrix factorisation) representation
 * @param steps            time steps
 * @param visitProbability chance that a customer asks for a slate in a step
 * @param slateSize        items per slate (k)
 * @param drift            whether interests drift (random walk plus jumps)
 * @param walkSigma        per-step standard deviation of the random walk (per coordinate, before normalising)
 * @param jumpProbability  per-customer, per-step chance of jumping to another category
 * @param merchants        merchants the customers are split over (federated clients)
 * @param retrainEvery     federated retraining period in steps
 * @param rounds           FedAvg rounds per retraining
 * @param localEpochs      local SGD epochs per round
 * @param window           steps of feedback a merchant trains on (its recent log)
 * @param maxPerCategory   diversity constraint for the policies (0 = none)
 * @param seed             seed of everything
 * @param recencyHalfLife  recency-weighted retraining: half-life in steps of the weight of an observation's SGD
 *                         step, {@code 2^(-age / halfLife)} (0 = every observation in the window alike)
 * @param recencyCustomerOnly whether the recency weight scales only the customer-vector steps (item vectors learn
 *                         from the whole window alike)
 * @param categoryVectors  whether the model's item vectors are a learnt category vector plus the item's own part
 *                         (the interest model's category-id embedding), so that feedback on one item of a category
 *                         moves every item of it
 * @param sharedImpressions whether each retraining also sums the merchants' per-item impression counts (as a secure
 *                         sum would) and gives every merchant's policy the federation's total, halved, instead of its
 *                         own: the item-level uncertainty then reflects what all merchants have shown
 * @param itemChurn        share of the catalogue replaced by new items at each retraining (0 = a fixed catalogue):
 *                         new products whose category is known but whose appeal is not
 */
public record BanditConfig(int customers, int items, int categories, int latentDim, int modelDim, int steps,
                           double visitProbability, int slateSize, boolean drift, double walkSigma,
                           double jumpProbability, int merchants, int retrainEvery, int rounds, int localEpochs,
                           int window, int maxPerCategory, long seed, double recencyHalfLife,
                           boolean recencyCustomerOnly, boolean categoryVectors, boolean sharedImpressions,
                           double itemChurn) {
    /** A fixed catalogue. */
    public BanditConfig(int customers, int items, int categories, int latentDim, int modelDim, int steps,
                        double visitProbability, int slateSize, boolean drift, double walkSigma,
                        double jumpProbability, int merchants, int retrainEvery, int rounds, int localEpochs,
                        int window, int maxPerCategory, long seed, double recencyHalfLife,
                        boolean recencyCustomerOnly, boolean categoryVectors, boolean sharedImpressions) {
        this(customers, items, categories, latentDim, modelDim, steps, visitProbability, slateSize, drift, walkSigma,
                jumpProbability, merchants, retrainEvery, rounds, localEpochs, window, maxPerCategory, seed,
                recencyHalfLife, recencyCustomerOnly, categoryVectors, sharedImpressions, 0);
    }

    /** Item vectors without a category part. */
    public BanditConfig(int customers, int items, int categories, int latentDim, int modelDim, int steps,
                        double visitProbability, int slateSize, boolean drift, double walkSigma,
                        double jumpProbability, int merchants, int retrainEvery, int rounds, int localEpochs,
                        int window, int maxPerCategory, long seed, double recencyHalfLife, boolean recencyCustomerOnly) {
        this(customers, items, categories, latentDim, modelDim, steps, visitProbability, slateSize, drift, walkSigma,
                jumpProbability, merchants, retrainEvery, rounds, localEpochs, window, maxPerCategory, seed,
                recencyHalfLife, recencyCustomerOnly, false, false);
    }

    /** Without recency weighting. */
    public BanditConfig(int customers, int items, int categories, int latentDim, int modelDim, int steps,
                        double visitProbability, int slateSize, boolean drift, double walkSigma,
                        double jumpProbability, int merchants, int retrainEvery, int rounds, int localEpochs,
                        int window, int maxPerCategory, long seed) {
        this(customers, items, categories, latentDim, modelDim, steps, visitProbability, slateSize, drift, walkSigma,
                jumpProbability, merchants, retrainEvery, rounds, localEpochs, window, maxPerCategory, seed, 0, false);
    }

    public BanditConfig {
        positive("customers", customers);
        positive("items", items);
        positive("categories", categories);
        positive("latentDim", latentDim);
        positive("modelDim", modelDim);
        positive("steps", steps);
        positive("slateSize", slateSize);
        positive("merchants", merchants);
        positive("retrainEvery", retrainEvery);
        positive("rounds", rounds);
        positive("localEpochs", localEpochs);
        positive("window", window);
        if (slateSize > items) {
            throw new IllegalArgumentException("slateSize " + slateSize + " exceeds items " + items);
        }
        if (merchants > customers) {
            throw new IllegalArgumentException("merchants " + merchants + " exceeds customers " + customers);
        }
        if (!(visitProbability > 0 && visitProbability <= 1)) {
            throw new IllegalArgumentException("visitProbability must be in (0, 1], got " + visitProbability);
        }
        if (!(walkSigma >= 0) || !(jumpProbability >= 0 && jumpProbability <= 1)) {
            throw new IllegalArgumentException("walkSigma must be >= 0 and jumpProbability in [0, 1]");
        }
        if (!(recencyHalfLife >= 0)) {
            throw new IllegalArgumentException("recencyHalfLife must be >= 0, got " + recencyHalfLife);
        }
        if (!(itemChurn >= 0 && itemChurn < 1)) {
            throw new IllegalArgumentException("itemChurn must be in [0, 1), got " + itemChurn);
        }
        if (maxPerCategory < 0) {
            throw new IllegalArgumentException("maxPerCategory must be >= 0, got " + maxPerCategory);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /**
     * Retraining period of {@code simulate bandit} (window: twice that). 25 (window 50) tracks drift faster but helps
     * greedy about as much as the exploring policies, and costs greedy 2% without drift (docs/benchmarks.md).
     */
    public static final int DEFAULT_RETRAIN_EVERY = 50;

    /** The defaults of {@code simulate bandit}. */
    public static BanditConfig defaults(int customers, int steps, long seed, boolean drift) {
        return new BanditConfig(customers, 1000, 20, 8, 8, steps, 0.2, 5, drift, 0.03, 0.005, 4, DEFAULT_RETRAIN_EVERY,
                2, 2, 2 * DEFAULT_RETRAIN_EVERY, 0, seed);
    }

    public BanditConfig withDrift(boolean d) {
        return new BanditConfig(customers, items, categories, latentDim, modelDim, steps, visitProbability, slateSize,
                d, walkSigma, jumpProbability, merchants, retrainEvery, rounds, localEpochs, window, maxPerCategory,
                seed, recencyHalfLife, recencyCustomerOnly, categoryVectors, sharedImpressions, itemChurn);
    }

    /** Items replaced at each retraining: {@code round(itemChurn * items)}. */
    public int itemsReplacedPerRetraining() {
        return (int) Math.round(itemChurn * items);
    }
}
