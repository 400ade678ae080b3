package io.interestfl.simulations.bandit;

import io.interestfl.serving.policy.CustomerContext;
import io.interestfl.serving.policy.Feedback;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.interestfl.serving.policy.PosteriorPolicy;
import io.interestfl.serving.policy.Slate;
import io.interestfl.serving.policy.Slot;
import io.interestfl.serving.policy.SlotKind;
import io.interestfl.serving.policy.DiversityConstraint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one policy in a {@link DriftingEnvironment}: every step each customer visits with probability
 * {@code visitProbability}, gets a slate from the policy, answers with clicks (reward); the policy learns from
 * each impression at once; every {@code retrainEvery} steps the merchants retrain the interest representation
 * with FedAvg on their last {@code window} steps of feedback, and the policy switches to the new item vectors.
 * Before the first retraining every customer is cold (popular plus exploratory slates). With item churn, each
 * retraining first retires {@code itemChurn} of the catalogue and lists new products in their place
 * ({@link DriftingEnvironment#replaceItems}): their feedback leaves the merchants' logs, the model starts each new
 * item at its category's mean ({@link FederatedMatrixFactorization#introduceItems}), and the policies count no
 * impression of it yet.
 *
 * <p>Customers are split over merchants by {@code customer % merchants}. Each merchant runs its own policy, as its
 * client node would: the per-item impression counts, item-level offsets and popularity a policy learns from come
 * only from that merchant's customers; what merchants share is the federated model. Merchant {@code m}'s policy is
 * seeded with {@code seed + m}. Deterministic for a given config, policy name and policy config.
 */
public final class BanditSimulation {
    private BanditSimulation() {
    }

    /** Runs {@code policyName} ({@link Policies#NAMES}). */
    public static PolicyResult run(BanditConfig cfg, String policyName, PolicyConfig policyConfig) {
        long t0 = System.nanoTime();
        DriftingEnvironment env = new DriftingEnvironment(cfg);
        int[] categories = env.itemCategories();
        FederatedMatrixFactorization model = new FederatedMatrixFactorization(cfg.customers(), cfg.items(),
                cfg.modelDim(), cfg.seed() * 31 + 7, cfg.categoryVectors() ? categories : null);
        double[][] clicksPerItem = new double[cfg.merchants()][cfg.items()];
        PolicyConfig pc = policyConfig.withDiversity(new DiversityConstraint(cfg.maxPerCategory()));
        PosteriorPolicy[] policies = new PosteriorPolicy[cfg.merchants()];
        for (int m = 0; m < policies.length; m++) {
            policies[m] = Policies.create(policyName, itemSpace(model, categories, clicksPerItem[m]),
                    pc.withSeed(pc.seed() + m));
        }
        SplittableRandom visitRng = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + 3);
        SplittableRandom clickRng = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + 4);

        int buckets = Math.min(cfg.steps(), 50);
        int bucketSteps = (cfg.steps() + buckets - 1) / buckets;
        buckets = (cfg.steps() + bucketSteps - 1) / bucketSteps;
        double[] cumReward = new double[buckets], ctr = new double[buckets], cov = new double[buckets],
                cumRegret = new double[buckets];
        long bucketClicks = 0, bucketImpressions = 0;
        BitSet bucketItems = new BitSet(cfg.items());
        BitSet lastQuarter = new BitSet(cfg.items());
        int lastQuarterStart = cfg.steps() - cfg.steps() / 4;

        long visits = 0, reward = 0, purchases = 0, slots = 0, exploreSlots = 0;
        double expected = 0, oracle = 0, novelty = 0;
        Deque<List<FederatedMatrixFactorization.Observation>> window = new ArrayDeque<>();
        String[] keys = new String[cfg.customers()];
        for (int u = 0; u < keys.length; u++) {
            keys[u] = Integer.toString(u);
        }
        float[][] vectors = new float[cfg.customers()][];
        for (int t = 0; t < cfg.steps(); t++) {
            if (t > 0 && t % cfg.retrainEvery() == 0) {
                int[] replaced = env.replaceItems(cfg.itemsReplacedPerRetraining());
                if (replaced.length > 0) {
                    categories = env.itemCategories();
                    BitSet retired = new BitSet(cfg.items());
                    for (int i : replaced) {
                        retired.set(i);
                        for (double[] clicks : clicksPerItem) {
                            clicks[i] = 0;
                        }
                    }
                    // feedback on a retired item says nothing about the new product that took its id
                    for (List<FederatedMatrixFactorization.Observation> step : window) {
                        step.removeIf(o -> retired.get(o.item()));
                    }
                }
                List<List<FederatedMatrixFactorization.Observation>> logs = new ArrayList<>();
                for (int m = 0; m < cfg.merchants(); m++) {
                    logs.add(new ArrayList<>());
                }
                int age = window.size() - 1;
                for (List<FederatedMatrixFactorization.Observation> step : window) {
                    float w = (float) FederatedMatrixFactorization.recencyWeight(age--, cfg.recencyHalfLife());
                    for (FederatedMatrixFactorization.Observation o : step) {
                        logs.get(o.customer() % cfg.merchants()).add(w == 1f ? o : o.withWeight(w));
                    }
                }
                model.train(logs, cfg.rounds(), cfg.localEpochs(), cfg.recencyCustomerOnly());
                if (replaced.length > 0) {
                    model.introduceItems(replaced, categories);
                }
                double[] federated = cfg.sharedImpressions() ? federatedImpressions(policies) : null;
                for (int m = 0; m < policies.length; m++) {
                    policies[m].reset(itemSpace(model, categories, clicksPerItem[m]));
                    if (federated != null || replaced.length > 0) {
                        double[] counts = federated != null ? federated.clone() : policies[m].impressions();
                        for (int i : replaced) {
                            counts[i] = 0;   // a new product has never been shown
                        }
                        policies[m].setImpressions(counts);
                    }
                }
                for (int u = 0; u < vectors.length; u++) {
                    vectors[u] = model.customerVector(u);
                }
            }
            List<FederatedMatrixFactorization.Observation> stepLog = new ArrayList<>();
            for (int u = 0; u < cfg.customers(); u++) {
                if (visitRng.nextDouble() >= cfg.visitProbability()) {
                    continue;
                }
                PosteriorPolicy policy = policies[u % policies.length];
                CustomerContext ctx = new CustomerContext(keys[u], vectors[u]);
                Slate slate = policy.recommend(ctx, cfg.slateSize());
                int[] items = slate.items();
                int[] clicks = env.respond(u, items, clickRng);
                purchases += env.purchases(clicks, clickRng);
                double exp = env.expectedReward(u, items);
                expected += exp;
                double orc = env.oracleReward(u, cfg.slateSize());
                oracle += orc;
                visits++;
                for (int j = 0; j < items.length; j++) {
                    Slot s = slate.slots().get(j);
                    policy.update(Feedback.observed(keys[u], items[j], clicks[j]));
                    stepLog.add(new FederatedMatrixFactorization.Observation(u, items[j], clicks[j]));
                    reward += clicks[j];
                    bucketClicks += clicks[j];
                    clicksPerItem[u % policies.length][items[j]] += clicks[j];
                    bucketItems.set(items[j]);
                    if (t >= lastQuarterStart) {
                        lastQuarter.set(items[j]);
                    }
                    novelty += -Math.log(env.popularity(items[j])) / Math.log(2);
                    slots++;
                    if (s.kind() == SlotKind.EXPLORE) {
                        exploreSlots++;
                    }
                }
                bucketImpressions += items.length;
                cumRegretAdd(cumRegret, t / bucketSteps, orc - exp);
            }
            window.addLast(stepLog);
            if (window.size() > cfg.window()) {
                window.removeFirst();
            }
            env.advance();
            if ((t + 1) % bucketSteps == 0 || t == cfg.steps() - 1) {
                int b = t / bucketSteps;
                cumReward[b] = reward;
                ctr[b] = bucketImpressions == 0 ? 0 : (double) bucketClicks / bucketImpressions;
                cov[b] = (double) bucketItems.cardinality() / cfg.items();
                bucketClicks = 0;
                bucketImpressions = 0;
                bucketItems.clear();
            }
        }
        if (policyConfig.changeDetection().enabled()) {
            long alarms = 0;
            for (PosteriorPolicy policy : policies) {
                alarms += policy.changeAlarms();
            }
            System.err.println(policyName + ": change-detection alarms " + alarms);
        }
        for (int b = 1; b < cumRegret.length; b++) {
            cumRegret[b] += cumRegret[b - 1];
        }
        double meanCov = 0;
        for (double c : cov) {
            meanCov += c / cov.length;
        }
        return new PolicyResult(policyName, visits, reward, purchases, expected, oracle, oracle - expected,
                slots == 0 ? 0 : (double) reward / slots, (double) lastQuarter.cardinality() / cfg.items(), meanCov,
                slots == 0 ? 0 : novelty / slots, slots == 0 ? 0 : (double) exploreSlots / slots, bucketSteps,
                cumReward, ctr, cov, cumRegret, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The counts every merchant's policy carries into the next model with shared impressions: the sum over merchants
     * of their impressions per item (a secure sum in a real federation), halved as a policy halves its own.
     */
    static double[] federatedImpressions(PosteriorPolicy[] policies) {
        double[] total = null;
        for (PosteriorPolicy policy : policies) {
            double[] own = policy.impressions();
            if (total == null) {
                total = new double[own.length];
            }
            for (int i = 0; i < total.length; i++) {
                total[i] += own[i] / 2;
            }
        }
        return total;
    }

    private static void cumRegretAdd(double[] cumRegret, int bucket, double r) {
        cumRegret[bucket] += r;
    }

    /** The policy's item space from the model: vectors, biases, true categories, popularity = clicks so far + 1. */
    static ItemSpace itemSpace(FederatedMatrixFactorization model, int[] categories, double[] clicksPerItem) {
        double[] pop = new double[clicksPerItem.length];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = clicksPerItem[i] + 1;
        }
        return new ItemSpace(model.itemVectors(), model.itemBias(), categories, pop, 0);
    }
}
