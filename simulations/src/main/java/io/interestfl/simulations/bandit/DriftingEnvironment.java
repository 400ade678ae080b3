package io.interestfl.simulations.bandit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Synthetic customers and items with latent vectors.
 *
 * <ul>
 *   <li>Categories: random unit centres. An item belongs to one category (uniformly); its vector is its
 *       centre plus noise (0.35 per coordinate), normalised. Popularity follows a power law (Zipf, exponent 1)
 *       over a random order of the items and enters the click model as a bias {@code 0.3 (ln pop - mean ln pop)}.</li>
 *   <li>A customer's interest starts near the centre of one of the <em>established</em> categories (the first
 *       half of them); nobody is interested in the other half at first. With drift, every step it takes a random
 *       walk step ({@code walkSigma} per coordinate, renormalised) and with probability {@code jumpProbability}
 *       jumps to another category, any of them: interests spread to categories that were nobody's before (new
 *       trends), whose items a policy has to discover.</li>
 *   <li>Response: each item of a slate is clicked independently with
 *       {@code p = sigmoid(4 theta.phi + bias - 3)}; a click becomes a purchase with probability 0.3.
 *       Reward = clicks.</li>
 *   <li>Oracle: the k items of highest click probability for the current interest.</li>
 *   <li>Catalogue churn ({@link #replaceItems}): a retired item's id is given to a new product, of a uniformly drawn
 *       category with a new vector; it keeps the retired item's popularity rank, so that popularity stays a power
 *       law and a share of the new products are hits.</li>
 * </ul>
 * Randomness comes in independent streams (world, drift, visits, responses) derived from the seed, so every
 * policy faces the same customers, drift and visits (common random numbers).
 */
public final class DriftingEnvironment {
    public static final double PURCHASE_GIVEN_CLICK = 0.3;
    private static final double SLOPE = 4, OFFSET = -3, POP_WEIGHT = 0.3, ITEM_NOISE = 0.35, CUSTOMER_NOISE = 0.35;

    private final BanditConfig cfg;
    private final int dim;
    private final double[][] centres;
    private final double[][] itemVectors;
    private final int[] itemCategory;
    private final double[] itemBias;
    private final double[] popularity;      // normalised, sums to 1
    private final double[][] interest;
    private final int[] customerCategory;
    private final SplittableRandom driftRng;
    private final SplittableRandom churnRng;
    private long jumps;

    public DriftingEnvironment(BanditConfig cfg) {
        this.cfg = cfg;
        this.dim = cfg.latentDim();
        SplittableRandom world = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + 1);
        this.driftRng = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + 2);
        this.churnRng = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + 5);
        centres = new double[cfg.categories()][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = normalise(gaussianVector(world, 1.0));
        }
        int n = cfg.items();
        itemVectors = new double[n][];
        itemCategory = new int[n];
        for (int i = 0; i < n; i++) {
            itemCategory[i] = world.nextInt(cfg.categories());
            itemVectors[i] = around(centres[itemCategory[i]], ITEM_NOISE, world);
        }
        int[] rank = permutation(n, world);
        popularity = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            popularity[i] = 1.0 / (rank[i] + 1);
            sum += popularity[i];
        }
        double meanLog = 0;
        for (int i = 0; i < n; i++) {
            meanLog += Math.log(popularity[i]) / n;
        }
        itemBias = new double[n];
        for (int i = 0; i < n; i++) {
            itemBias[i] = POP_WEIGHT * (Math.log(popularity[i]) - meanLog);   // centred log popularity
            popularity[i] /= sum;
        }
        interest = new double[cfg.customers()][];
        customerCategory = new int[cfg.customers()];
        int established = Math.max(1, cfg.categories() / 2);
        for (int u = 0; u < interest.length; u++) {
            customerCategory[u] = world.nextInt(established);
            interest[u] = around(centres[customerCategory[u]], CUSTOMER_NOISE, world);
        }
    }

    public BanditConfig config() {
        return cfg;
    }

    public int items() {
        return itemVectors.length;
    }

    public int customers() {
        return interest.length;
    }

    public int[] itemCategories() {
        return itemCategory.clone();
    }

    /** Normalised true popularity (sums to 1), for novelty. */
    public double popularity(int item) {
        return popularity[item];
    }

    public int customerCategory(int u) {
        return customerCategory[u];
    }

    public long jumps() {
        return jumps;
    }

    /** A copy of the customer's true interest vector. */
    public double[] interest(int u) {
        return interest[u].clone();
    }

    public double[] itemVector(int i) {
        return itemVectors[i].clone();
    }

    /** Click probability of item i for customer u now. */
    public double clickProbability(int u, int i) {
        double[] t = interest[u], v = itemVectors[i];
        double s = 0;
        for (int j = 0; j < dim; j++) {
            s += t[j] * v[j];
        }
        return 1 / (1 + Math.exp(-(SLOPE * s + itemBias[i] + OFFSET)));
    }

    /** Sum of click probabilities of the slate (expected reward). */
    public double expectedReward(int u, int[] slate) {
        double s = 0;
        for (int i : slate) {
            s += clickProbability(u, i);
        }
        return s;
    }

    /** The oracle's expected reward: the k best items for u's current interest. */
    public double oracleReward(int u, int k) {
        double[] best = new double[k];   // ascending
        Arrays.fill(best, -1);
        for (int i = 0; i < itemVectors.length; i++) {
            double p = clickProbability(u, i);
            if (p > best[0]) {
                int pos = 0;
                while (pos + 1 < k && best[pos + 1] < p) {
                    best[pos] = best[pos + 1];
                    pos++;
                }
                best[pos] = p;
            }
        }
        double s = 0;
        for (double b : best) {
            s += b;
        }
        return s;
    }

    /** Clicks (1) per slate position; purchases are drawn on clicks by the caller via {@link #purchases}. */
    public int[] respond(int u, int[] slate, SplittableRandom rng) {
        int[] clicks = new int[slate.length];
        for (int j = 0; j < slate.length; j++) {
            clicks[j] = rng.nextDouble() < clickProbability(u, slate[j]) ? 1 : 0;
        }
        return clicks;
    }

    public int purchases(int[] clicks, SplittableRandom rng) {
        int p = 0;
        for (int c : clicks) {
            if (c == 1 && rng.nextDouble() < PURCHASE_GIVEN_CLICK) {
                p++;
            }
        }
        return p;
    }

    /**
     * Retires {@code count} distinct items drawn uniformly and puts a new product in each one's place (same id and
     * popularity rank, new category and vector). Returns the ids, ascending. Its own random stream: every policy
     * sees the same catalogue.
     */
    public int[] replaceItems(int count) {
        int n = itemVectors.length;
        if (count < 0 || count > n) {
            throw new IllegalArgumentException("count must be in [0, " + n + "], got " + count);
        }
        int[] order = permutation(n, churnRng);
        int[] out = Arrays.copyOf(order, count);
        Arrays.sort(out);
        for (int i : out) {
            itemCategory[i] = churnRng.nextInt(centres.length);
            itemVectors[i] = around(centres[itemCategory[i]], ITEM_NOISE, churnRng);
        }
        return out;
    }

    /** One step of drift for every customer (no-op without drift). */
    public void advance() {
        if (!cfg.drift()) {
            return;
        }
        for (int u = 0; u < interest.length; u++) {
            if (driftRng.nextDouble() < cfg.jumpProbability()) {
                int c = driftRng.nextInt(cfg.categories() - 1);
                customerCategory[u] = c >= customerCategory[u] ? c + 1 : c;
                interest[u] = around(centres[customerCategory[u]], CUSTOMER_NOISE, driftRng);
                jumps++;
            } else if (cfg.walkSigma() > 0) {
                double[] t = interest[u];
                for (int j = 0; j < dim; j++) {
                    t[j] += cfg.walkSigma() * gaussian(driftRng);
                }
                normaliseInPlace(t);
            }
        }
    }

    private double[] around(double[] centre, double noise, SplittableRandom rng) {
        double[] v = gaussianVector(rng, noise);
        for (int j = 0; j < dim; j++) {
            v[j] += centre[j];
        }
        return normalise(v);
    }

    private double[] gaussianVector(SplittableRandom rng, double sd) {
        double[] v = new double[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = sd * gaussian(rng);
        }
        return v;
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double[] normalise(double[] v) {
        normaliseInPlace(v);
        return v;
    }

    private static void normaliseInPlace(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
        }
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
