package io.interestfl.simulations.bandit;

import io.interestfl.serving.policy.CustomerContext;
import io.interestfl.serving.policy.ExplorationPolicy;
import io.interestfl.serving.policy.Feedback;
import io.interestfl.serving.policy.ItemSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Offline replay evaluation (Li, Chu, Langford, Wang 2011, "Unbiased offline evaluation of contextual-bandit-based
 * news article recommendation algorithms"). The log must come from a logging policy that chose the shown item
 * uniformly at random; the evaluated policy is asked for one item per logged event, and only events where it
 * picks the logged item count ("matched"): their reward is the policy's reward and the policy learns from them;
 * the others are skipped as if they never happened. The mean reward over matched events is an unbiased estimate
 * of the policy's online per-slate reward over as many online steps as there were matches (for stationary
 * customers).
 */
public final class ReplayEvaluator {
    /** One logged event: customer, the uniformly random item shown, its reward (click). */
    public record LoggedEvent(int customer, int item, int reward) {
    }

    /** Replay result: matched events, their total reward, and the estimate {@code reward / matched}. */
    public record Estimate(long events, long matched, long reward, double value) {
    }

    /**
     * A fixed, imperfect interest representation of a stationary {@link DriftingEnvironment}: true vectors plus
     * Gaussian noise of standard deviation {@code noise} per coordinate, item bias 0.
     */
    public record Representation(ItemSpace items, float[][] customers) {
        public static Representation noisy(DriftingEnvironment env, double noise, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            int d = env.config().latentDim();
            float[][] items = new float[env.items()][d];
            for (int i = 0; i < items.length; i++) {
                double[] v = env.itemVector(i);
                for (int j = 0; j < d; j++) {
                    items[i][j] = (float) (v[j] + noise * DriftingEnvironment.gaussian(rng));
                }
            }
            float[][] customers = new float[env.customers()][d];
            for (int u = 0; u < customers.length; u++) {
                double[] t = env.interest(u);
                for (int j = 0; j < d; j++) {
                    customers[u][j] = (float) (t[j] + noise * DriftingEnvironment.gaussian(rng));
                }
            }
            return new Representation(new ItemSpace(items, null, env.itemCategories(), null, 0), customers);
        }
    }

    private ReplayEvaluator() {
    }

    /** A log of {@code n} events: uniformly random customer and uniformly random item, reward drawn by the environment. */
    public static List<LoggedEvent> uniformLog(DriftingEnvironment env, int n, long seed) {
        if (env.config().drift()) {
            throw new IllegalArgumentException("replay needs stationary customers: use drift off");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<LoggedEvent> log = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            int u = rng.nextInt(env.customers());
            int item = rng.nextInt(env.items());
            int click = rng.nextDouble() < env.clickProbability(u, item) ? 1 : 0;
            log.add(new LoggedEvent(u, item, click));
        }
        return log;
    }

    /** Replays {@code log} through {@code policy} (which must be fresh: it learns from matched events). */
    public static Estimate replay(ExplorationPolicy policy, List<LoggedEvent> log, Representation rep) {
        long matched = 0, reward = 0;
        for (LoggedEvent e : log) {
            String key = Integer.toString(e.customer());
            int chosen = policy.recommend(new CustomerContext(key, rep.customers()[e.customer()]), 1).items()[0];
            if (chosen == e.item()) {
                matched++;
                reward += e.reward();
                policy.update(Feedback.observed(key, e.item(), e.reward()));
            }
        }
        return new Estimate(log.size(), matched, reward, matched == 0 ? Double.NaN : (double) reward / matched);
    }

    /**
     * The policy's online value: {@code steps} slates of one item for uniformly random customers, learning from
     * every click; the value is the mean click probability of the items shown (the noise-free reward).
     */
    public static double online(ExplorationPolicy policy, DriftingEnvironment env, Representation rep, long steps,
                                long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        for (long s = 0; s < steps; s++) {
            int u = rng.nextInt(env.customers());
            String key = Integer.toString(u);
            int item = policy.recommend(new CustomerContext(key, rep.customers()[u]), 1).items()[0];
            double p = env.clickProbability(u, item);
            sum += p;
            policy.update(Feedback.observed(key, item, rng.nextDouble() < p ? 1 : 0));
        }
        return steps == 0 ? Double.NaN : sum / steps;
    }
}
