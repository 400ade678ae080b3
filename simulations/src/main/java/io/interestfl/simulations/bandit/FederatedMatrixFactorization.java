package io.interestfl.simulations.bandit;

import io.interestfl.aggregation.FedAvg;
import io.interestfl.aggregation.WeightedMeanAccumulator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The interest model of the simulator, trained with FedAvg across merchants: a matrix factorisation
 * {@code r_ui ~ x_u . v_i + b_i} fitted by SGD on squared error with L2 regularisation.
 *
 * <p>Item vectors and biases are the <b>global</b> parameters: each round every merchant starts from them, runs
 * local epochs of SGD over its own recent observations, and the coordinator averages the merchants' item
 * parameters weighted by their numbers of observations (FedAvg). Customer vectors are <b>local</b>: each merchant
 * keeps its own customers' vectors and never sends them (as in federated collaborative filtering, Ammad-ud-din
 * et al. 2019). This stands in for the DL4J InterestModel, whose item vectors are the softmax weight
 * columns and whose customer vector is its hidden state: same shape of representation, a thousand times
 * cheaper to retrain every few simulated steps (see docs/recommendations.md).
 */
public final class FederatedMatrixFactorization {
    /**
     * One observation in a merchant's log: customer, item, reward, and the weight of its SGD step (1 = plain;
     * {@link #recencyWeight} of its age for recency-weighted retraining).
     */
    public record Observation(int customer, int item, float reward, float weight) {
        public Observation(int customer, int item, float reward) {
            this(customer, item, reward, 1f);
        }

        /** This observation with another weight. */
        public Observation withWeight(float w) {
            return new Observation(customer, item, reward, w);
        }
    }

    /**
     * Recency weight of an observation {@code age} steps old (0: the newest step): {@code 2^(-age / halfLife)};
     * 1 for every age when {@code halfLife <= 0} (no weighting).
     */
    public static double recencyWeight(int age, double halfLife) {
        if (age < 0) {
            throw new IllegalArgumentException("age must be >= 0, got " + age);
        }
        return halfLife > 0 ? Math.pow(0.5, age / halfLife) : 1.0;
    }

    private static final double LEARNING_RATE = 0.05, L2 = 0.01, INIT_SD = 0.1;
    /** FedAvg at server rate 1: the new global parameters are the weighted mean of the merchants' models. */
    private static final FedAvg SERVER_STEP = new FedAvg(1.0);

    private final int dim;
    private final float[][] itemVectors;   // with categories: the item's own part w_i (its vector is c + w_i)
    private final float[] itemBias;
    private final int[] itemCategory;        // null: no category part
    private final float[][] categoryVectors; // c per category (global, averaged like the item parameters)
    private final float[][] customerVectors;
    private final boolean[] known;
    private final boolean[] itemTrained;     // the item has had an observation since it was listed
    private final SplittableRandom rng;
    private int version;

    public FederatedMatrixFactorization(int customers, int items, int dim, long seed) {
        this(customers, items, dim, seed, null);
    }

    /**
     * With {@code itemCategory} non-null, an item's vector is its category's vector plus its own part, both learnt:
     * a click on one item of a category moves every item of it (as the interest model's category-id embedding does).
     */
    public FederatedMatrixFactorization(int customers, int items, int dim, long seed, int[] itemCategory) {
        this.dim = dim;
        this.itemCategory = itemCategory == null ? null : itemCategory.clone();
        int categories = 0;
        if (itemCategory != null) {
            if (itemCategory.length != items) {
                throw new IllegalArgumentException("itemCategory has " + itemCategory.length + " entries for " + items + " items");
            }
            for (int c : itemCategory) {
                if (c < 0) {
                    throw new IllegalArgumentException("negative category " + c);
                }
                categories = Math.max(categories, c + 1);
            }
        }
        this.categoryVectors = new float[categories][dim];
        this.rng = new SplittableRandom(seed);
        itemVectors = new float[items][dim];
        customerVectors = new float[customers][dim];
        for (float[] v : itemVectors) {
            init(v);
        }
        for (float[] v : customerVectors) {
            init(v);
        }
        itemBias = new float[items];
        known = new boolean[customers];
        itemTrained = new boolean[items];
    }

    private void init(float[] v) {
        for (int j = 0; j < dim; j++) {
            v[j] = (float) (INIT_SD * DriftingEnvironment.gaussian(rng));
        }
    }

    /**
     * Runs {@code rounds} FedAvg rounds; {@code logs.get(m)} is merchant m's observations (its customers only).
     * Customers with an observation become known.
     */
    public void train(List<List<Observation>> logs, int rounds, int localEpochs) {
        train(logs, rounds, localEpochs, false);
    }

    /**
     * As {@link #train(List, int, int)}, each SGD step scaled by its observation's weight. With
     * {@code customerOnly} the weight scales only the customer-vector step (item vectors and biases learn from
     * the whole window alike, customer vectors mostly from recent feedback); otherwise it scales the whole step,
     * and a merchant's FedAvg weight is the sum of its observations' weights.
     */
    public void train(List<List<Observation>> logs, int rounds, int localEpochs, boolean customerOnly) {
        int items = itemVectors.length;
        int categories = categoryVectors.length;
        for (int r = 0; r < rounds; r++) {
            float[] global = flatten(itemVectors, itemBias, categoryVectors);
            WeightedMeanAccumulator round = new WeightedMeanAccumulator(global.length);
            for (List<Observation> log : logs) {
                if (log.isEmpty()) {
                    continue;
                }
                float[][] v = new float[items][];
                for (int i = 0; i < items; i++) {
                    v[i] = itemVectors[i].clone();
                }
                float[] b = itemBias.clone();
                float[][] c = new float[categories][];
                for (int k = 0; k < categories; k++) {
                    c[k] = categoryVectors[k].clone();
                }
                List<Observation> order = new ArrayList<>(log);
                for (int e = 0; e < localEpochs; e++) {
                    shuffle(order);
                    for (Observation o : order) {
                        sgd(o, v, b, c, customerOnly);
                    }
                }
                double w = 0;
                for (Observation o : log) {
                    w += customerOnly ? 1 : o.weight();
                }
                float[] delta = flatten(v, b, c);
                for (int i = 0; i < delta.length; i++) {
                    delta[i] -= global[i];
                }
                if (w > 0) {   // a log of weight 0 moves nothing
                    round.accept(delta, w);   // the aggregation module's weighted mean, as in the coordinator's rounds
                }
                for (Observation o : log) {
                    known[o.customer()] = true;
                    itemTrained[o.item()] = true;
                }
            }
            if (round.count() == 0) {
                return;
            }
            unflatten(SERVER_STEP.apply(global, round.mean()));
        }
        version++;
    }

    /** The global parameters as one vector: item vectors, item biases, category vectors. */
    private static float[] flatten(float[][] vectors, float[] bias, float[][] categories) {
        int dim = vectors.length == 0 ? 0 : vectors[0].length;
        float[] flat = new float[vectors.length * dim + bias.length + categories.length * dim];
        int at = 0;
        for (float[] v : vectors) {
            System.arraycopy(v, 0, flat, at, dim);
            at += dim;
        }
        System.arraycopy(bias, 0, flat, at, bias.length);
        at += bias.length;
        for (float[] c : categories) {
            System.arraycopy(c, 0, flat, at, dim);
            at += dim;
        }
        return flat;
    }

    private void unflatten(float[] flat) {
        int at = 0;
        for (float[] v : itemVectors) {
            System.arraycopy(flat, at, v, 0, dim);
            at += dim;
        }
        System.arraycopy(flat, at, itemBias, 0, itemBias.length);
        at += itemBias.length;
        for (float[] c : categoryVectors) {
            System.arraycopy(flat, at, c, 0, dim);
            at += dim;
        }
    }

    private void sgd(Observation o, float[][] v, float[] b, float[][] c, boolean customerOnly) {
        double wc = LEARNING_RATE * o.weight(), wi = customerOnly ? LEARNING_RATE : wc;
        float[] x = customerVectors[o.customer()];
        float[] vi = v[o.item()];
        float[] ci = itemCategory == null ? null : c[itemCategory[o.item()]];
        double pred = b[o.item()];
        for (int j = 0; j < dim; j++) {
            pred += x[j] * (ci == null ? vi[j] : ci[j] + vi[j]);
        }
        double err = o.reward() - pred;
        for (int j = 0; j < dim; j++) {
            float xj = x[j];
            x[j] += (float) (wc * (err * (ci == null ? vi[j] : ci[j] + vi[j]) - L2 * xj));
            vi[j] += (float) (wi * (err * xj - L2 * vi[j]));
            if (ci != null) {
                ci[j] += (float) (wi * (err * xj - L2 * ci[j]));
            }
        }
        b[o.item()] += (float) (wi * err);
    }

    private void shuffle(List<Observation> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Observation t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /**
     * New products take the ids in {@code replaced}: what the model learnt of the retired items is dropped, and each
     * new item starts where a content-based cold start would put it, at the mean vector and bias of the items of its
     * category that the model has been trained on ({@code categories}: every item's category, the new ones'
     * included). Items never observed are left out of the mean: their parameters are still the initial ones, and
     * would pull a new product's bias towards 0, below what the category's items earn. Falls back to the mean over
     * every trained item, then to 0. With category vectors the item's own part restarts at 0, so that its vector is
     * its category's.
     */
    public void introduceItems(int[] replaced, int[] categories) {
        int n = itemVectors.length;
        if (categories.length != n) {
            throw new IllegalArgumentException("categories has " + categories.length + " entries for " + n + " items");
        }
        boolean[] isNew = new boolean[n];
        for (int i : replaced) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("item " + i + " is outside [0, " + n + ")");
            }
            isNew[i] = true;
        }
        if (itemCategory != null) {
            for (int i : replaced) {
                itemCategory[i] = categories[i];
            }
        }
        int cats = 0;
        for (int c : categories) {
            cats = Math.max(cats, c + 1);
        }
        double[][] sumV = new double[cats + 1][dim];   // index cats: every trained item
        double[] sumB = new double[cats + 1];
        int[] count = new int[cats + 1];
        for (int i = 0; i < n; i++) {
            if (isNew[i] || !itemTrained[i]) {
                continue;
            }
            for (int slot : new int[] {categories[i], cats}) {
                for (int j = 0; j < dim; j++) {
                    sumV[slot][j] += itemVectors[i][j];
                }
                sumB[slot] += itemBias[i];
                count[slot]++;
            }
        }
        for (int i : replaced) {
            int slot = count[categories[i]] > 0 ? categories[i] : cats;
            for (int j = 0; j < dim; j++) {
                // with category vectors the item's vector is then its category's vector
                itemVectors[i][j] = itemCategory != null || count[slot] == 0 ? 0f : (float) (sumV[slot][j] / count[slot]);
            }
            itemBias[i] = count[slot] == 0 ? 0f : (float) (sumB[slot] / count[slot]);
            itemTrained[i] = false;
        }
    }

    /** Model versions trained so far (0: initial). */
    public int version() {
        return version;
    }

    /** The customer's vector, or null while the model has never seen the customer (cold start). */
    public float[] customerVector(int u) {
        return known[u] ? customerVectors[u].clone() : null;
    }

    /** Copies of the item vectors. */
    public float[][] itemVectors() {
        float[][] out = new float[itemVectors.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = itemVectors[i].clone();
            if (itemCategory != null) {
                float[] c = categoryVectors[itemCategory[i]];
                for (int j = 0; j < dim; j++) {
                    out[i][j] += c[j];
                }
            }
        }
        return out;
    }

    public float[] itemBias() {
        return itemBias.clone();
    }
}
