package io.interestfl.serving.policy;

/**
 * Per-customer change detection (monitored bandit: Hartland et al. 2006; Cao et al. 2019): a Page-Hinkley test for
 * a drop in the customer's click rate on exploit slots. On an alarm the customer's posterior restarts with the
 * prior precision multiplied by {@code priorFactor} (a weaker pull towards the interest model's customer vector,
 * which was learnt from the interests before the change, and a wider posterior, so exploration restarts) for the
 * current model version and the next {@code holdModels} ones; the test then restarts too.
 *
 * @param delta       tolerated drop per observation (Page-Hinkley's delta)
 * @param threshold   alarm when the cumulative drop exceeds it (Page-Hinkley's lambda); {@code +infinity}: off
 * @param priorFactor multiplier of the prior precision after an alarm, in (0, 1]
 * @param holdModels  model versions after the alarm's that keep the weaker prior
 */
public record ChangeDetection(double delta, double threshold, double priorFactor, int holdModels) {
    /** No detection. */
    public static final ChangeDetection OFF = new ChangeDetection(0, Double.POSITIVE_INFINITY, 1, 0);
    /** Exploit observations before the test may raise an alarm (the running mean is noisy before). */
    public static final int WARM_UP = 10;

    public ChangeDetection {
        if (!(delta >= 0)) {
            throw new IllegalArgumentException("change delta must be >= 0, got " + delta);
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("change threshold must be > 0 (+infinity: off), got " + threshold);
        }
        if (!(priorFactor > 0 && priorFactor <= 1)) {
            throw new IllegalArgumentException("change prior factor must be in (0, 1], got " + priorFactor);
        }
        if (holdModels < 0) {
            throw new IllegalArgumentException("change hold must be >= 0, got " + holdModels);
        }
    }

    public boolean enabled() {
        return Double.isFinite(threshold);
    }

    /**
     * Page-Hinkley test for a decrease of the mean of a stream of rewards: {@code U_t = sum_s (mean_s - x_s - delta)}
     * with {@code mean_s} the running mean, alarm when {@code U_t - min_s U_s > threshold} (after {@link #WARM_UP}
     * observations). A reward added later to the last observation (a click after its impression) corrects it. Not
     * thread-safe.
     */
    public static final class PageHinkley {
        private final double delta;
        private final double threshold;
        private long n;
        private double mean;
        private double u;
        private double minU;

        public PageHinkley(double delta, double threshold) {
            this.delta = delta;
            this.threshold = threshold;
        }

        public void add(double x) {
            n++;
            mean += (x - mean) / n;
            u += mean - x - delta;
            minU = Math.min(minU, u);
        }

        /** Adds {@code r} to the last observation. */
        public void addReward(double r) {
            if (n == 0) {
                return;
            }
            mean += r / n;
            u += r / n - r;
            minU = Math.min(minU, u);
        }

        public boolean alarm() {
            return n >= WARM_UP && u - minU > threshold;
        }

        public long observations() {
            return n;
        }

        public void restart() {
            n = 0;
            mean = 0;
            u = 0;
            minU = 0;
        }
    }
}
