package io.interestfl.serving.policy;

import java.util.BitSet;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The common part of every policy: one {@link LinearPosterior} per customer (created on first use), the
 * cold-start answer ({@link ColdStart}), the seeded random stream, feedback. Subclasses only rank.
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
 *
 * <p>The state lives in {@link CustomerState} (posterior, memory, change detector of one customer),
 * {@link ItemStatistics} (impressions and residuals per item on the current model) and {@link CategoryEffects}
 * (one customer's category effects); this class reads them for a slate and feeds every feedback to each.
 */
public abstract class PosteriorPolicy implements ExplorationPolicy {
    protected final PolicyConfig config;
    private final String name;
    private final ConcurrentHashMap<String, CustomerState> customers = new ConcurrentHashMap<>();
    private final AtomicLong alarms = new AtomicLong();
    private volatile ItemSpace items;
    private volatile int modelVersion;     // incremented by reset after items is set; a new customer starts at -1
    private volatile ColdStart coldStart;
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
        this.coldStart = new ColdStart(it);
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
            coldStart.fill(it, slate, config.coldStartExplore(), r);
            return slate.build(name, true);
        }
        float[] x = ctx.representation();
        if (x.length != it.dimension()) {
            throw new IllegalArgumentException("customer vector has dimension " + x.length
                    + " but item vectors have " + it.dimension());
        }
        CustomerState c = state(ctx.customer());
        CustomerState.Reading p = c.read(it, version, x);
        double[] catMean = null;
        double[] catVar = null;
        if (categoryEffectsOn()) {
            int n = categories;
            catMean = new double[n];
            catVar = new double[n];
            categoryEffects(ctx.customer()).snapshot(config.categoryPrior(), catMean, catVar);
        }
        rank(it, new Estimate(p.mean(), p.chol(), config.sigma(), catMean, catVar, ctx.repeat()), slate, r, t);
        Slate out = slate.build(name, false);
        if (c.tracksExploit()) {
            c.servedExploit(out);
        }
        return out;
    }

    /**
     * The posterior of one customer: mean and the Cholesky factor of its precision, the category effects, and the
     * customer's repeat/explore head ({@code null}: none).
     */
    protected record Estimate(double[] mean, double[] chol, double sigma, double[] categoryMean, double[] categoryVariance,
                              RepeatHead repeat) {
        protected Estimate(double[] mean, double[] chol, double sigma) {
            this(mean, chol, sigma, null, null, null);
        }

        /** The customer's category effect on an item (0 without category effects or categories). */
        double categoryMean(ItemSpace it, int item) {
            return ofCategory(categoryMean, it.category(item));
        }

        /** Its variance factor (times sigma^2), 0 when off. */
        double categoryVariance(ItemSpace it, int item) {
            return ofCategory(categoryVariance, it.category(item));
        }

        private static double ofCategory(double[] perCategory, int cat) {
            return perCategory == null || cat < 0 || cat >= perCategory.length ? 0 : perCategory[cat];
        }
    }

    /** Whether scores carry item offsets: asked for, and the item-level term they are the mean of is on. */
    private boolean itemOffsetsOn() {
        return config.itemOffsets() && !Double.isInfinite(config.itemPrior());
    }

    boolean categoryEffectsOn() {
        return Double.isFinite(config.categoryPrior()) && categories > 0;
    }

    private CategoryEffects categoryEffects(String customer) {
        return categoryEffects.computeIfAbsent(customer, key -> new CategoryEffects());
    }

    /**
     * Item-level variance factor {@code 1 / (itemPrior + n_i)} of every item (0 when the term is off): the
     * uncertainty of the model's vector for an item it has rarely seen, independent of the customer.
     */
    protected double[] itemVariance(ItemSpace it) {
        return itemStats.variances(it, config.itemPrior());
    }

    /**
     * Posterior-mean scores {@code theta . v_i + b_i + delta_i + gamma_u,c(i)}: the model's linear score plus the
     * item-level offset learnt from this node's feedback since the model arrived and the customer's category effect
     * carried by {@code e} (each 0 when off); with the customer's {@link RepeatHead}, then mixed with their history
     * (log-probabilities of the repeat/explore mixture).
     */
    protected double[] scores(ItemSpace it, double[] theta, Estimate e) {
        return withHead(it, e, modelScores(it, theta, e));
    }

    /** As {@link #scores} without the repeat/explore head: the model's linear score and the random effects' means. */
    protected double[] modelScores(ItemSpace it, double[] theta, Estimate e) {
        double[] out = it.linearScores(theta);
        if (itemOffsetsOn()) {
            itemStats.addOffsets(out, it.firstItem(), config.itemPrior());
        }
        if (e != null && e.categoryMean() != null) {
            for (int i = it.firstItem(); i < out.length; i++) {
                out[i] += e.categoryMean(it, i);
            }
        }
        return out;
    }

    /**
     * Mixes the customer's history into {@code model} scores (in place; returned): what an exploring policy adds (a
     * sampled parameter or noise, an upper-confidence bonus) goes into the model's scores first, so a rebuy and a new
     * item are both perturbed on the model's scale before the mixture weighs them.
     */
    protected static double[] withHead(ItemSpace it, Estimate e, double[] model) {
        if (e != null && e.repeat() != null) {
            e.repeat().apply(model, it.firstItem());
        }
        return model;
    }

    /** The item-level offset {@code delta_i} of an item on the current model (0 when the term is off). */
    public double itemOffset(int item) {
        return itemOffsetsOn() ? itemStats.offsetOf(item, config.itemPrior()) : 0;
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
        return itemStats.impressions();
    }

    /**
     * Replaces the impression counts of the current model (e.g. by the federation's total, carried over halved):
     * the item-level variances then reflect what every merchant has already shown.
     */
    public void setImpressions(double[] counts) {
        itemStats.setImpressions(counts);
    }

    /** Impressions of an item counted by the item-level uncertainty term. */
    public double itemImpressions(int item) {
        return itemStats.impressions(item);
    }

    /** Fills the slate for a known customer. */
    protected abstract void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t);

    /** Greedy top-k by posterior mean under the diversity constraint, as a set (for labelling explore slots). */
    protected BitSet greedySet(ItemSpace it, double[] meanScores, int k) {
        SlateBuilder g = new SlateBuilder(it, config.diversity(), k);
        g.fillByScore(SlateBuilder.descending(meanScores, it.firstItem()), meanScores, SlotKind.EXPLOIT);
        BitSet out = new BitSet(it.size());
        for (int item : g.build(name, false).items()) {
            out.set(item);
        }
        return out;
    }

    /**
     * Fills the slate by descending {@code ranking}; a slot is exploit when its item is in the greedy top-k by
     * {@code meanScores}, else explore.
     */
    protected void fillAgainstGreedy(ItemSpace it, SlateBuilder slate, double[] ranking, double[] meanScores) {
        BitSet greedy = greedySet(it, meanScores, slate.capacity());
        slate.fillByScore(SlateBuilder.descending(ranking, it.firstItem()), ranking, greedy);
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
        ItemStatistics stats = itemStats;
        boolean offsets = itemOffsetsOn();
        int cat = it.category(f.item());
        CategoryEffects g = categoryEffectsOn() && cat >= 0 ? categoryEffects(f.customer()) : null;
        synchronized (c) {
            double prediction = c.prediction(it, f.item());
            double categoryEffect = g == null ? 0 : g.meanOf(cat, config.categoryPrior());
            double offset = stats.record(f, offsets, config.itemPrior(), prediction, categoryEffect);
            if (g != null) {
                g.record(cat, f, prediction, offset);
            }
            c.observe(it, version, f, offset, categoryEffect);
        }
    }

    @Override
    public void reset(ItemSpace newItems) {
        setItems(Objects.requireNonNull(newItems, "items"));
        // The new model was trained on the same feedback: trust the effects half as much, and forget the customers
        // whose effects have faded to a quarter of an observation (bounds the map to recently active customers).
        categoryEffects.values().removeIf(CategoryEffects::halveAndFaded);
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
}
