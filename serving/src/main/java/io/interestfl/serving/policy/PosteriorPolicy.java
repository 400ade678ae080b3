package io.interestfl.serving.policy;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The common part of every policy: one {@link LinearPosterior} per customer (created on first use), the
 * cold-start answer, the seeded random stream, feedback. Subclasses only rank.
 *
 * <p>Across model versions: with {@code memory > 0} each customer's last {@code memory} observations are kept and,
 * the first time the customer is seen after a new model arrived, replayed on the new item vectors and biases
 * (discounted by {@code gamma} as they were), so what was learnt about the customer survives a retraining; with
 * {@code memory = 0} a new model forgets every customer.
 *
 * <p>With {@link ChangeDetection} on, each customer's clicks on exploit slots feed a Page-Hinkley test that
 * survives model versions; on an alarm (checked when the customer's next slate is built) the customer's posterior
 * and memory restart with a weaker prior, so that a customer whose interests moved is explored again.
 *
 * <p>Item offsets ({@code delta_i}, shared by the node's customers, restarted by every model) and per-customer
 * category effects ({@code gamma_uc}, kept across models, halved at each) are random effects on top of the linear
 * model: every policy adds their means, the exploring ones widen by their variances (docs/recommendations.md).
 *
 * <p>Randomness: each request takes {@code rng.split()} under the policy's lock, so a sequence of calls
 * made in the same order with the same seed gives the same slates.
 */
public abstract class PosteriorPolicy implements ExplorationPolicy {
    protected final PolicyConfig config;
    private final String name;
    private final ConcurrentHashMap<String, CustomerState> customers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong alarms = new java.util.concurrent.atomic.AtomicLong();
    private volatile ItemSpace items;
    private volatile int modelVersion;     // incremented by reset after items is set; a new customer starts at -1
    private volatile int[] popularOrder;
    private volatile ItemStatistics itemStats;   // replaced as a whole by every model
    private final ConcurrentHashMap<String, CategoryEffects> categoryEffects = new ConcurrentHashMap<>();
    private volatile int categories;             // number of category ids of the current item space
    private SplittableRandom rng;    // guarded by this
    private long served;             // guarded by this

    protected PosteriorPolicy(String name, ItemSpace items, PolicyConfig config) {
        this.name = name;
        this.config = Objects.requireNonNull(config, "config");
        this.rng = new SplittableRandom(config.seed());
        setItems(Objects.requireNonNull(items, "items"));
    }

    private void setItems(ItemSpace it) {
        double[] pop = new double[it.size()];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = it.popularity(i);
        }
        this.popularOrder = SlateBuilder.descending(pop, it.firstItem());
        this.itemStats = new ItemStatistics(it.size(), itemStats);
        int maxCategory = -1;
        for (int i = it.firstItem(); i < it.size(); i++) {
            maxCategory = Math.max(maxCategory, it.category(i));
        }
        this.categories = maxCategory + 1;
        this.items = it;
    }

    @Override
    public final String name() {
        return name;
    }

    public ItemSpace items() {
        return items;
    }

    @Override
    public final Slate recommend(CustomerContext ctx, int k) {
        Objects.requireNonNull(ctx, "ctx");
        SplittableRandom r;
        long t;
        synchronized (this) {
            r = rng.split();
            t = served++;
        }
        int version = modelVersion;   // read before items: items is then at least as new as version
        ItemSpace it = items;
        SlateBuilder slate = new SlateBuilder(it, config.diversity(), k);
        if (ctx.coldStart()) {
            coldStart(it, slate, r);
            return slate.build(name, true);
        }
        float[] x = ctx.representation();
        if (x.length != it.dimension()) {
            throw new IllegalArgumentException("customer vector has dimension " + x.length
                    + " but item vectors have " + it.dimension());
        }
        CustomerState c = state(ctx.customer());
        double[] chol;
        double[] mean;
        synchronized (c) {
            if (c.detector != null && c.detector.alarm()) {
                c.restart(it, version);
            }
            LinearPosterior p = c.current(it, version);
            chol = p.precisionCholesky();
            mean = p.mean(x, chol);
            c.lastMean = mean;
        }
        double[] catMean = null;
        double[] catVar = null;
        if (categoryEffectsOn()) {
            CategoryEffects g = categoryEffects.computeIfAbsent(ctx.customer(), key -> new CategoryEffects());
            int n = categories;
            catMean = new double[n];
            catVar = new double[n];
            synchronized (g) {
                for (int cat = 0; cat < n; cat++) {
                    catMean[cat] = g.mean(cat, config.categoryPrior());
                    catVar[cat] = g.varianceFactor(cat, config.categoryPrior());
                }
            }
        }
        rank(it, new Estimate(mean, chol, config.sigma(), catMean, catVar), slate, r, t);
        Slate out = slate.build(name, false);
        if (c.detector != null) {
            java.util.BitSet exploit = new java.util.BitSet();
            for (Slot s : out.slots()) {
                if (s.kind() == SlotKind.EXPLOIT) {
                    exploit.set(s.item());
                }
            }
            synchronized (c) {
                c.lastExploit = exploit;
            }
        }
        return out;
    }

    /** The posterior of one customer: mean and the Cholesky factor of its precision. */
    protected record Estimate(double[] mean, double[] chol, double sigma, double[] categoryMean, double[] categoryVariance) {
        protected Estimate(double[] mean, double[] chol, double sigma) {
            this(mean, chol, sigma, null, null);
        }

        /** The customer's category effect on an item (0 without category effects or categories). */
        double categoryMean(ItemSpace it, int item) {
            int cat = it.category(item);
            return categoryMean == null || cat < 0 || cat >= categoryMean.length ? 0 : categoryMean[cat];
        }

        /** Its variance factor (times sigma^2), 0 when off. */
        double categoryVariance(ItemSpace it, int item) {
            int cat = it.category(item);
            return categoryVariance == null || cat < 0 || cat >= categoryVariance.length ? 0 : categoryVariance[cat];
        }
    }

    /** Whether scores carry item offsets: asked for, and the item-level term they are the mean of is on. */
    private boolean itemOffsetsOn() {
        return config.itemOffsets() && !Double.isInfinite(config.itemPrior());
    }

    boolean categoryEffectsOn() {
        return Double.isFinite(config.categoryPrior()) && categories > 0;
    }

    /**
     * Item-level variance factor {@code 1 / (itemPrior + n_i)} of every item (0 when the term is off): the
     * uncertainty of the model's vector for an item it has rarely seen, independent of the customer.
     */
    protected double[] itemVariance(ItemSpace it) {
        double[] shown = itemStats.shown;
        double[] out = new double[it.size()];
        if (Double.isInfinite(config.itemPrior())) {
            return out;
        }
        for (int i = it.firstItem(); i < out.length; i++) {
            out[i] = 1.0 / (config.itemPrior() + (i < shown.length ? shown[i] : 0));
        }
        return out;
    }

    /**
     * Posterior-mean scores {@code theta . v_i + b_i + delta_i + gamma_u,c(i)}: the model's linear score plus the
     * item-level offset learnt from this node's feedback since the model arrived and the customer's category effect
     * carried by {@code e} (each 0 when off).
     */
    protected double[] scores(ItemSpace it, double[] theta, Estimate e) {
        double[] out = it.linearScores(theta);
        if (itemOffsetsOn()) {
            ItemStatistics stats = itemStats;
            synchronized (stats) {
                for (int i = it.firstItem(); i < out.length && i < stats.shown.length; i++) {
                    out[i] += stats.offset(i, config.itemPrior());
                }
            }
        }
        if (e != null && e.categoryMean() != null) {
            for (int i = it.firstItem(); i < out.length; i++) {
                out[i] += e.categoryMean(it, i);
            }
        }
        return out;
    }

    /** The item-level offset {@code delta_i} of an item on the current model (0 when the term is off). */
    public double itemOffset(int item) {
        ItemStatistics stats = itemStats;
        if (!itemOffsetsOn() || item >= stats.shown.length) {
            return 0;
        }
        synchronized (stats) {
            return stats.offset(item, config.itemPrior());
        }
    }

    /** Item-level plus the customer's category variance factor of every item (what the exploring policies widen by). */
    protected double[] extraVariance(ItemSpace it, Estimate e) {
        double[] out = itemVariance(it);
        if (e.categoryVariance() != null) {
            for (int i = it.firstItem(); i < out.length; i++) {
                out[i] += e.categoryVariance(it, i);
            }
        }
        return out;
    }

    /** A copy of the impressions per item counted by the item-level term on the current model. */
    public double[] impressions() {
        ItemStatistics stats = itemStats;
        synchronized (stats) {
            return stats.shown.clone();
        }
    }

    /**
     * Replaces the impression counts of the current model (e.g. by the federation's total, carried over halved):
     * the item-level variances then reflect what every merchant has already shown.
     */
    public void setImpressions(double[] counts) {
        ItemStatistics stats = itemStats;
        synchronized (stats) {
            if (counts.length != stats.shown.length) {
                throw new IllegalArgumentException("counts has " + counts.length + " items, the model " + stats.shown.length);
            }
            System.arraycopy(counts, 0, stats.shown, 0, counts.length);
        }
    }

    /** Impressions of an item counted by the item-level uncertainty term. */
    public double itemImpressions(int item) {
        double[] shown = itemStats.shown;
        return item < shown.length ? shown[item] : 0;
    }

    /** Fills the slate for a known customer. */
    protected abstract void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t);

    /** Popular items (exploit) followed by random ones (explore), the latter a {@code coldStartExplore} share. */
    private void coldStart(ItemSpace it, SlateBuilder slate, SplittableRandom r) {
        int k = slate.capacity();
        int explore = (int) Math.round(k * config.coldStartExplore());
        int[] order = popularOrder;
        for (int i = 0; i < order.length && slate.size() < k - explore; i++) {
            if (slate.fits(order[i])) {
                slate.add(order[i], it.popularity(order[i]), SlotKind.EXPLOIT);
            }
        }
        while (!slate.full() && slate.addRandom(r, null, SlotKind.EXPLORE)) {
            // keep adding
        }
    }

    /** Greedy top-k by posterior mean under the diversity constraint, as a set (for labelling explore slots). */
    protected java.util.BitSet greedySet(ItemSpace it, double[] meanScores, int k) {
        SlateBuilder g = new SlateBuilder(it, config.diversity(), k);
        g.fillByScore(SlateBuilder.descending(meanScores, it.firstItem()), meanScores, SlotKind.EXPLOIT);
        java.util.BitSet out = new java.util.BitSet(it.size());
        for (int item : g.build(name, false).items()) {
            out.set(item);
        }
        return out;
    }

    @Override
    public void update(Feedback f) {
        int version = modelVersion;   // read before items: items is then at least as new as version
        ItemSpace it = items;
        if (f.item() < it.firstItem() || f.item() >= it.size()) {
            throw new IllegalArgumentException("item " + f.item() + " is outside [" + it.firstItem() + ", "
                    + it.size() + ")");
        }
        CustomerState c = state(f.customer());
        float[] v = it.vector(f.item());
        ItemStatistics stats = itemStats;
        boolean offsets = itemOffsetsOn();
        int cat = it.category(f.item());
        CategoryEffects g = categoryEffectsOn() && cat >= 0
                ? categoryEffects.computeIfAbsent(f.customer(), key -> new CategoryEffects()) : null;
        synchronized (c) {
            double prediction = c.lastMean != null && c.lastMean.length == v.length
                    ? it.linearScore(c.lastMean, f.item()) : Double.NaN;
            double offset = 0;
            double categoryEffect = 0;
            if (g != null) {
                synchronized (g) {
                    categoryEffect = g.mean(cat, config.categoryPrior());
                }
            }
            synchronized (stats) {
                if (f.item() < stats.shown.length) {
                    if (offsets) {
                        offset = stats.offset(f.item(), config.itemPrior());
                        if (!f.newObservation()) {
                            stats.residual[f.item()] += f.reward();   // a click after its impression
                        } else if (!Double.isNaN(prediction)) {
                            // The residual against this customer's own posterior mean (and category effect), so that
                            // what the customer's posterior already explains is not counted again for the item.
                            stats.residual[f.item()] += f.reward() - prediction - categoryEffect;
                        }
                    }
                    if (f.newObservation()) {
                        stats.shown[f.item()]++;
                    }
                }
            }
            if (g != null) {
                synchronized (g) {
                    if (!f.newObservation()) {
                        g.add(cat, f.reward(), 0);
                    } else if (!Double.isNaN(prediction)) {
                        g.add(cat, f.reward() - prediction - offset, 1);
                    }
                }
            }
            LinearPosterior p = c.current(it, version);
            if (f.newObservation()) {
                p.observe(v, f.reward() - it.bias(f.item()) - offset - categoryEffect);
                if (c.memory != null) {
                    c.memory.add(f.item(), f.reward());
                }
                if (c.detector != null && c.lastExploit.get(f.item())) {
                    c.detector.add(f.reward());
                }
            } else {
                p.addReward(v, f.reward());
                if (c.memory != null) {
                    c.memory.addReward(f.item(), f.reward());
                }
                if (c.detector != null && c.lastExploit.get(f.item())) {
                    c.detector.addReward(f.reward());
                }
            }
        }
    }

    @Override
    public void reset(ItemSpace newItems) {
        setItems(Objects.requireNonNull(newItems, "items"));
        // The new model was trained on the same feedback: trust the effects half as much, and forget the customers
        // whose effects have faded to a quarter of an observation (bounds the map to recently active customers).
        categoryEffects.values().removeIf(g -> {
            synchronized (g) {
                return g.halveAndFaded();
            }
        });
        if (config.memory() == 0 && !config.changeDetection().enabled()) {
            customers.clear();
        }
        modelVersion++;
    }

    /** The posterior of a customer on the current model (for tests and diagnostics); created empty on first use. */
    public LinearPosterior posterior(String customer) {
        CustomerState c = state(customer);
        synchronized (c) {
            int version = modelVersion;
            return c.current(items, version);
        }
    }

    private CustomerState state(String customer) {
        return customers.computeIfAbsent(customer, k -> new CustomerState(config, alarms));
    }

    /** Change-detection alarms so far (restarted customers), for diagnostics. */
    public long changeAlarms() {
        return alarms.get();
    }

    /** Number of customers whose category effects are kept. */
    public int customersWithCategoryEffects() {
        return categoryEffects.size();
    }

    /** Number of customers with a posterior. */
    public int customers() {
        return customers.size();
    }

    /**
     * What this node has seen of each item on the current model: impressions {@code n_i} (carried over halved from
     * the previous model) and the sum of residuals {@code e} of its rewards (restarted at 0: the new model was
     * trained on them). The item-level offset is the posterior mean of a per-item random effect with prior
     * {@code N(0, sigma^2 / itemPrior)}: {@code delta_i = sum e / (itemPrior + n_i)}, whose variance
     * {@code sigma^2 / (itemPrior + n_i)} is the item-level term of the exploring policies. Guarded by itself.
     */
    private static final class ItemStatistics {
        final double[] shown;
        final double[] residual;

        ItemStatistics(int items, ItemStatistics previous) {
            shown = new double[items];
            residual = new double[items];
            if (previous != null && previous.shown.length == items) {
                synchronized (previous) {
                    for (int i = 0; i < items; i++) {
                        shown[i] = previous.shown[i] / 2;
                    }
                }
            }
        }

        double offset(int item, double itemPrior) {
            return residual[item] / (itemPrior + shown[item]);
        }
    }

    /**
     * One customer's category effects: per category the residual sum and count of the customer's rewards on its
     * items, {@code gamma_c = sum e / (categoryPrior + n_c)}, variance factor {@code 1 / (categoryPrior + n_c)}.
     * Kept across models, halved at each. Guarded by itself.
     */
    private static final class CategoryEffects {
        private double[] residual = new double[0];
        private double[] count = new double[0];

        private void ensure(int cat) {
            if (cat >= residual.length) {
                residual = java.util.Arrays.copyOf(residual, cat + 1);
                count = java.util.Arrays.copyOf(count, cat + 1);
            }
        }

        double mean(int cat, double prior) {
            return cat < residual.length ? residual[cat] / (prior + count[cat]) : 0;
        }

        double varianceFactor(int cat, double prior) {
            return 1.0 / (prior + (cat < count.length ? count[cat] : 0));
        }

        void add(int cat, double residualValue, double observations) {
            ensure(cat);
            residual[cat] += residualValue;
            count[cat] += observations;
        }

        /** Halves the statistics; true when less than a quarter of an observation is left over all categories. */
        boolean halveAndFaded() {
            double total = 0;
            for (int i = 0; i < residual.length; i++) {
                residual[i] /= 2;
                count[i] /= 2;
                total += count[i];
            }
            return total < 0.25;
        }
    }

    /** One customer's posterior on the model version it was built for, and the observations to rebuild it from. */
    private static final class CustomerState {
        private final PolicyConfig config;
        private final java.util.concurrent.atomic.AtomicLong alarms;
        final ObservationMemory memory;    // null: memory 0
        final ChangeDetection.PageHinkley detector;   // null: change detection off
        java.util.BitSet lastExploit = new java.util.BitSet();   // exploit items of the last slate
        double[] lastMean;                 // posterior mean of theta when the last slate was built
        private LinearPosterior posterior;
        private int version = -1;          // built by the first current()
        private int alarmVersion = Integer.MIN_VALUE;   // model version of the last alarm

        CustomerState(PolicyConfig config, java.util.concurrent.atomic.AtomicLong alarms) {
            this.config = config;
            this.alarms = alarms;
            this.memory = config.memory() > 0 ? new ObservationMemory(config.memory()) : null;
            ChangeDetection cd = config.changeDetection();
            this.detector = cd.enabled() ? new ChangeDetection.PageHinkley(cd.delta(), cd.threshold()) : null;
        }

        /** Prior precision on model {@code version}: weaker for a while after an alarm. */
        private double lambda(int version) {
            ChangeDetection cd = config.changeDetection();
            boolean weak = alarmVersion != Integer.MIN_VALUE && version - alarmVersion <= cd.holdModels();
            return weak ? config.lambda() * cd.priorFactor() : config.lambda();
        }

        /** A detected change: forget the posterior and the memory, weaken the prior, restart the test. */
        void restart(ItemSpace it, int version) {
            alarmVersion = version;
            posterior = new LinearPosterior(it.dimension(), lambda(version), config.gamma());
            this.version = version;
            if (memory != null) {
                memory.clear();
            }
            detector.restart();
            alarms.incrementAndGet();
        }

        /** The posterior on model {@code version}, replaying the kept observations on its items if it is newer. */
        LinearPosterior current(ItemSpace it, int version) {
            if (this.version != version) {
                posterior = new LinearPosterior(it.dimension(), lambda(version), config.gamma());
                if (memory != null) {
                    for (int j = 0; j < memory.size(); j++) {
                        int item = memory.item(j);
                        if (item >= it.firstItem() && item < it.size()) {   // items dropped by the new model are skipped
                            posterior.observe(it.vector(item), memory.reward(j) - it.bias(item));
                        }
                    }
                }
                this.version = version;
            }
            return posterior;
        }
    }
}
