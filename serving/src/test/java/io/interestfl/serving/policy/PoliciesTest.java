package io.interestfl.serving.policy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static io.interestfl.serving.policy.PolicyTestSupport.circle;
import static io.interestfl.serving.policy.PolicyTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoliciesTest {
    private static final CustomerContext EAST = new CustomerContext("c1", new float[]{1, 0});

    @Test
    void epsilonScheduleDecaysInverselyWithTimeToItsFloor() {
        EpsilonSchedule s = new EpsilonSchedule(0.2, 0.02, 1000);
        assertEquals(0.2, s.epsilon(0), 1e-15);
        assertEquals(0.1, s.epsilon(1000), 1e-15);
        assertEquals(0.05, s.epsilon(3000), 1e-15);
        assertEquals(0.02, s.epsilon(1_000_000), 1e-15);
        assertEquals(0.3, EpsilonSchedule.constant(0.3).epsilon(123_456), 0);
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule(0.1, 0.2, 10));
        assertThrows(IllegalArgumentException.class, () -> new EpsilonSchedule(1.5, 0.2, 10));
    }

    @Test
    void greedyRanksByPosteriorMeanAndOnlyExploits() {
        ItemSpace items = circle(12, null);
        Slate s = new GreedyPolicy(items, config(0, 1)).recommend(EAST, 3);
        // items at angles 0, +-30 degrees; ties (1 and 11: cos 30) broken by id
        assertArrayEquals(new int[]{0, 1, 11}, s.items());
        assertEquals(0, s.exploreCount());
        assertFalse(s.coldStart());
        assertEquals("greedy", s.policy());
    }

    @Test
    void greedyLearnsFromFeedback() {
        ItemSpace items = circle(12, null);
        GreedyPolicy p = new GreedyPolicy(items, config(0, 1));
        for (int i = 0; i < 20; i++) {
            p.update(Feedback.observed("c1", 0, -1.0));   // item 0 disappoints
        }
        assertNotEquals(0, p.recommend(EAST, 1).items()[0]);
        assertEquals(20, p.posterior("c1").observations());
    }

    @Test
    void epsilonGreedyExploresEverySlotAtOneAndNoneAtZero() {
        ItemSpace items = circle(50, null);
        Slate all = new EpsilonGreedyPolicy(items, config(1.0, 3)).recommend(EAST, 5);
        assertEquals(5, all.exploreCount());
        Slate none = new EpsilonGreedyPolicy(items, config(0.0, 3)).recommend(EAST, 5);
        assertEquals(0, none.exploreCount());
        assertArrayEquals(new GreedyPolicy(items, config(0, 3)).recommend(EAST, 5).items(), none.items());
        EpsilonGreedyPolicy half = new EpsilonGreedyPolicy(items, config(0.5, 3));
        int explored = 0;
        for (int i = 0; i < 400; i++) {
            explored += half.recommend(EAST, 5).exploreCount();
        }
        assertEquals(0.5, explored / 2000.0, 0.05);
    }

    @Test
    void linUcbBonusIsAlphaSigmaSqrtOfTheQuadraticForm() {
        ItemSpace items = new ItemSpace(new float[][]{{1, 0}, {0, 1}, {1, 1}}, null, null, null, 0);
        LinUcbPolicy p = new LinUcbPolicy(items, config(0, 1));
        p.update(Feedback.observed("c1", 2, 0.5));   // the hand-computed posterior of LinearPosteriorTest
        LinearPosterior post = p.posterior("c1");
        double[] chol = post.precisionCholesky();
        PosteriorPolicy.Estimate e = new PosteriorPolicy.Estimate(post.mean(new float[]{1, 0}, chol), chol, 0.5);
        double[] bonus = LinUcbPolicy.bonuses(items, e, 2.0, null);
        assertEquals(2.0 * 0.5 * Math.sqrt(3.0 / 8), bonus[0], 1e-12);
        assertEquals(2.0 * 0.5 * Math.sqrt(3.0 / 8), bonus[1], 1e-12);
        assertEquals(2.0 * 0.5 * Math.sqrt(0.5), bonus[2], 1e-12);
    }

    @Test
    void batchedBonusesEqualOneSolvePerItem() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int d = 16, n = 60;
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        ItemSpace items = new ItemSpace(v, null, null, null, 0);
        LinearPosterior post = new LinearPosterior(d, 3.0, 0.9);
        for (int o = 0; o < 40; o++) {
            post.observe(v[rng.nextInt(n)], rng.nextInt(2));
        }
        double[] chol = post.precisionCholesky();
        double[] bonus = LinUcbPolicy.bonuses(items, new PosteriorPolicy.Estimate(new double[d], chol, 0.4), 1.5, null);
        double[] work = new double[d];
        for (int i = 0; i < n; i++) {
            assertEquals(1.5 * 0.4 * Math.sqrt(LinearPosterior.quadraticForm(chol, d, v[i], work)), bonus[i], 1e-9);
        }
    }

    @Test
    void itemLevelTermWidensBonusesOfRarelyShownItems() {
        ItemSpace items = new ItemSpace(new float[][]{{1, 0}, {0, 1}, {1, 1}}, null, null, null, 0);
        PolicyConfig cfg = new PolicyConfig(2.0, 0.5, 1.0, 0, EpsilonSchedule.constant(0), 1.0, 1.0, 1.0,
                DiversityConstraint.NONE, 0.3, 1);
        LinUcbPolicy p = new LinUcbPolicy(items, cfg);
        p.update(Feedback.observed("c1", 2, 0.5));
        p.update(Feedback.observed("c2", 0, 0.0));
        p.update(Feedback.observed("c2", 0, 0.0));
        p.update(Feedback.reward("c2", 0, 1.0));   // a click: no new impression
        assertEquals(2, p.itemImpressions(0));
        assertEquals(1, p.itemImpressions(2));
        LinearPosterior post = p.posterior("c1");
        double[] chol = post.precisionCholesky();
        PosteriorPolicy.Estimate e = new PosteriorPolicy.Estimate(post.mean(new float[]{1, 0}, chol), chol, 0.5);
        double[] bonus = LinUcbPolicy.bonuses(items, e, 2.0, p.itemVariance(items));
        assertEquals(2.0 * 0.5 * Math.sqrt(3.0 / 8 + 1.0 / 3), bonus[0], 1e-12);   // shown twice: 1 / (1 + 2)
        assertEquals(2.0 * 0.5 * Math.sqrt(3.0 / 8 + 1.0), bonus[1], 1e-12);       // never shown: 1 / (1 + 0)
        assertEquals(2.0 * 0.5 * Math.sqrt(0.5 + 1.0 / 2), bonus[2], 1e-12);
        p.reset(items);   // a new model halves the counts and forgets the customers
        assertEquals(1, p.itemImpressions(0));
        assertEquals(0, p.posterior("c1").observations());
    }

    /**
     * Item offsets, 2-D, lambda 2, item pseudo-count 1. c1 (x = (1, 0), posterior mean x) clicks item 1 = (0, 1):
     * residual 1 - 0 = 1, one impression, offset 1 / (1 + 1) = 0.5, and c2 (x = (0.2, 0)) is shown item 1 first
     * (0.5 > 0.2). c2 does not click: residual 0, offset 1 / (1 + 2); c2's posterior learnt 0 - 0.5 = -0.5 on item 1,
     * mean A^-1 (lambda x + s) = (0.4 / 2, -0.5 / 3). A new model restarts the offsets.
     */
    @Test
    void itemOffsetIsTheMeanOfTheItemsResidualsAndReachesOtherCustomersBeforeTheNextModel() {
        ItemSpace items = new ItemSpace(new float[][]{{1, 0}, {0, 1}}, null, null, null, 0);
        PolicyConfig cfg = new PolicyConfig(2.0, 0.5, 1.0, 0, EpsilonSchedule.constant(0), 1.0, 1.0, 1.0,
                DiversityConstraint.NONE, 0.3, 1, ChangeDetection.OFF, true);
        GreedyPolicy p = new GreedyPolicy(items, cfg);
        p.recommend(new CustomerContext("c1", new float[]{1, 0}), 2);
        p.update(Feedback.observed("c1", 1, 1.0));
        assertEquals(0.5, p.itemOffset(1), 1e-12);
        assertEquals(0.0, p.itemOffset(0), 0.0);
        Slate forC2 = p.recommend(new CustomerContext("c2", new float[]{0.2f, 0}), 2);
        assertEquals(1, forC2.slots().get(0).item());
        assertEquals(0.5, forC2.slots().get(0).score(), 1e-12);
        assertEquals(0.2, forC2.slots().get(1).score(), 1e-7);
        p.update(Feedback.observed("c2", 1, 0.0));
        assertEquals(1.0 / 3, p.itemOffset(1), 1e-12);
        LinearPosterior c2 = p.posterior("c2");
        assertArrayEquals(new double[]{0.2, -0.5 / 3}, c2.mean(new float[]{0.2f, 0}, c2.precisionCholesky()), 1e-7);
        p.reset(items);
        assertEquals(0.0, p.itemOffset(1), 0.0);
        assertEquals(1, p.itemImpressions(1));

        GreedyPolicy without = new GreedyPolicy(items, cfg.withItemOffsets(false));
        without.recommend(new CustomerContext("c1", new float[]{1, 0}), 2);
        without.update(Feedback.observed("c1", 1, 1.0));
        assertEquals(0.0, without.itemOffset(1), 0.0);
        assertEquals(0, without.recommend(new CustomerContext("c2", new float[]{0.2f, 0}), 2).slots().get(0).item());
    }

    /**
     * Category effects, 2-D, lambda 2, category pseudo-count 1, no item offsets. Items: 0 = (1, 0) in category 0;
     * 1 and 2 = (0, 1) in category 1. c1 (x = (1, 0)) clicks item 1: residual 1 - 0, effect of category 1 for c1
     * 1 / (1 + 1) = 0.5; c1's posterior learnt 1 - 0 (the effect was 0 then): mean (1, 1/3). c1's scores: item 0 1,
     * items 1 and 2 1/3 + 0.5 (item 2 was never shown). c2 has no effect. A new model halves it: 0.5 / 1.5.
     */
    @Test
    void aCustomersCategoryEffectLiftsEveryItemOfTheCategoryForThatCustomerOnly() {
        ItemSpace items = new ItemSpace(new float[][]{{1, 0}, {0, 1}, {0, 1}}, null, new int[]{0, 1, 1}, null, 0);
        PolicyConfig cfg = new PolicyConfig(2.0, 0.5, 1.0, 0, EpsilonSchedule.constant(0), 1.0, 1.0, 1.0,
                DiversityConstraint.NONE, 0.3, 1, ChangeDetection.OFF, false, 1.0);
        GreedyPolicy p = new GreedyPolicy(items, cfg);
        CustomerContext c1 = new CustomerContext("c1", new float[]{1, 0});
        p.recommend(c1, 3);
        p.update(Feedback.observed("c1", 1, 1.0));
        Map<Integer, Double> scores = new HashMap<>();
        for (Slot slot : p.recommend(c1, 3).slots()) {
            scores.put(slot.item(), slot.score());
        }
        assertEquals(1.0, scores.get(0), 1e-12);
        assertEquals(1.0 / 3 + 0.5, scores.get(1), 1e-12);
        assertEquals(1.0 / 3 + 0.5, scores.get(2), 1e-12);
        for (Slot slot : p.recommend(new CustomerContext("c2", new float[]{1, 0}), 3).slots()) {
            assertEquals(slot.item() == 0 ? 1.0 : 0.0, slot.score(), 1e-12, "c2 has no category effect");
        }
        p.reset(items);
        for (Slot slot : p.recommend(c1, 3).slots()) {
            assertEquals(slot.item() == 0 ? 1.0 : 0.5 / 1.5, slot.score(), 1e-12, "halved by the new model");
        }
        assertEquals(1, p.customersWithCategoryEffects(), "c2, served without an observation, was forgotten by the model");
        p.reset(items);   // c1: a quarter of an observation left, kept
        assertEquals(1, p.customersWithCategoryEffects());
        p.reset(items);   // an eighth: faded, forgotten
        assertEquals(0, p.customersWithCategoryEffects());
        assertThrows(IllegalArgumentException.class, () -> cfg.withCategoryPrior(0));
    }

    /**
     * memory 2, gamma 0.5, lambda 1, 1-D. Observations: item 2 r=1, item 1 r=0, item 0 shown then clicked (r=1);
     * memory keeps (1, 0), (0, 1). New model: v1 = 2, b1 = 0.5; v0 = 1, b0 = 0.25. Replay: S = 4, s = -1; discount
     * to 2, -0.5; add v0: S = 3, s = 0.25. A = 4, mean at prior x = 1: (1 + 0.25) / 4 = 0.3125.
     */
    @Test
    void memoryReplaysTheLastObservationsOnTheNewModelsVectors() {
        ItemSpace old = new ItemSpace(new float[][]{{1}, {1}, {1}}, null, null, null, 0);
        PolicyConfig cfg = new PolicyConfig(1.0, 0.5, 0.5, 2, EpsilonSchedule.constant(0), 1.0, 1.0,
                Double.POSITIVE_INFINITY, DiversityConstraint.NONE, 0.3, 1);
        GreedyPolicy p = new GreedyPolicy(old, cfg);
        p.update(Feedback.observed("c", 2, 1));
        p.update(Feedback.observed("c", 1, 0));
        p.update(Feedback.impression("c", 0));
        p.update(Feedback.reward("c", 0, 1));
        p.reset(new ItemSpace(new float[][]{{1}, {2}, {3}}, new float[]{0.25f, 0.5f, 0}, null, null, 0));
        LinearPosterior post = p.posterior("c");
        assertEquals(2, post.observations());
        double[] chol = post.precisionCholesky();
        assertEquals(2.0, chol[0], 1e-12);
        assertEquals(0.3125, post.mean(new float[]{1}, chol)[0], 1e-12);
        assertEquals(0.0625, post.mean(null, chol)[0], 1e-12);
        p.reset(new ItemSpace(new float[][]{{1}}, null, null, null, 0));   // items 1 and 2 gone: skipped
        assertEquals(1, p.posterior("c").observations());
    }

    /**
     * Discounted LinUCB keeps exploring under drift: 1-D, lambda 1, v = 1 observed over and over. Without discount
     * A = 1 + n and the bonus alpha sigma / sqrt(1 + n) vanishes; with gamma 0.5, S tends to 1 / (1 - 0.5) = 2, so the
     * bonus tends to alpha sigma / sqrt(3) and never drops below it.
     */
    @Test
    void discountKeepsTheUcbBonusAboveAFloor() {
        ItemSpace items = new ItemSpace(new float[][]{{1}}, null, null, null, 0);
        LinearPosterior plain = new LinearPosterior(1, 1.0, 1.0);
        LinearPosterior discounted = new LinearPosterior(1, 1.0, 0.5);
        for (int n = 0; n < 60; n++) {
            plain.observe(new float[]{1}, 0);
            discounted.observe(new float[]{1}, 0);
        }
        double alpha = 2, sigma = 0.5;
        double[] plainBonus = LinUcbPolicy.bonuses(items,
                new PosteriorPolicy.Estimate(new double[1], plain.precisionCholesky(), sigma), alpha, null);
        double[] discountedBonus = LinUcbPolicy.bonuses(items,
                new PosteriorPolicy.Estimate(new double[1], discounted.precisionCholesky(), sigma), alpha, null);
        assertEquals(alpha * sigma / Math.sqrt(61), plainBonus[0], 1e-12);
        assertEquals(alpha * sigma / Math.sqrt(3), discountedBonus[0], 1e-9);
    }

    @Test
    void linUcbPrefersAnUncertainItemToAWellKnownSlightlyBetterOne() {
        ItemSpace items = new ItemSpace(new float[][]{{1, 0}, {0, 1}}, new float[]{0.1f, 0f}, null, null, 0);
        PolicyConfig cfg = new PolicyConfig(1.0, 0.5, 1.0, 0, EpsilonSchedule.constant(0), 1.0, 2.0,
                Double.POSITIVE_INFINITY, DiversityConstraint.NONE, 0.3, 1);
        LinUcbPolicy ucb = new LinUcbPolicy(items, cfg);
        GreedyPolicy greedy = new GreedyPolicy(items, cfg);
        CustomerContext c = new CustomerContext("c", new float[]{0, 0});
        for (int i = 0; i < 50; i++) {
            ucb.update(Feedback.observed("c", 0, 0.1));
            greedy.update(Feedback.observed("c", 0, 0.1));
        }
        assertEquals(0, greedy.recommend(c, 1).items()[0]);
        Slate s = ucb.recommend(c, 1);
        assertEquals(1, s.items()[0]);
        assertEquals(SlotKind.EXPLORE, s.slots().get(0).kind());
    }

    @Test
    void thompsonIsDeterministicForASeedAndLabelsNonGreedySlotsExplore() {
        ItemSpace items = circle(40, null);
        ThompsonSamplingPolicy a = new ThompsonSamplingPolicy(items, config(0, 42));
        ThompsonSamplingPolicy b = new ThompsonSamplingPolicy(items, config(0, 42));
        ThompsonSamplingPolicy c = new ThompsonSamplingPolicy(items, config(0, 43));
        boolean differs = false;
        int explore = 0;
        for (int i = 0; i < 50; i++) {
            Slate sa = a.recommend(EAST, 5);
            assertEquals(sa, b.recommend(EAST, 5));
            differs |= !Arrays.equals(sa.items(), c.recommend(EAST, 5).items());
            explore += sa.exploreCount();
        }
        assertTrue(differs, "another seed should give other slates");
        assertTrue(explore > 0, "a wide posterior should explore");
    }

    @Test
    void diversityConstraintCapsItemsPerCategoryAndIsANoOpWithoutCategories() {
        PolicyConfig cfg = config(0, 1).withDiversity(new DiversityConstraint(1));
        Slate s = new GreedyPolicy(circle(40, 4), cfg).recommend(EAST, 4);
        Map<Integer, Integer> perCategory = new HashMap<>();
        for (int item : s.items()) {
            perCategory.merge(item % 4, 1, Integer::sum);
        }
        assertEquals(4, perCategory.size());
        // without categories the same policy returns the unconstrained greedy slate
        assertArrayEquals(new GreedyPolicy(circle(40, null), config(0, 1)).recommend(EAST, 4).items(),
                new GreedyPolicy(circle(40, null), cfg).recommend(EAST, 4).items());
        // the constraint also holds for exploring policies
        for (String name : Policies.NAMES) {
            Slate x = Policies.create(name, circle(40, 4), config(0.5, 9).withDiversity(new DiversityConstraint(2)))
                    .recommend(EAST, 8);
            Map<Integer, Integer> counts = new HashMap<>();
            for (int item : x.items()) {
                counts.merge(item % 4, 1, Integer::sum);
            }
            assertTrue(counts.values().stream().allMatch(n -> n <= 2), name + ": " + counts);
            assertEquals(8, x.items().length, name);
        }
    }

    @Test
    void coldStartIsPopularPlusExploratory() {
        ItemSpace items = circle(100, null);
        for (String name : Policies.NAMES) {
            Slate s = Policies.create(name, items, config(0, 5)).recommend(CustomerContext.cold("new"), 10);
            assertTrue(s.coldStart());
            assertEquals(10, s.items().length);
            assertEquals(3, s.exploreCount(), name);
            assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6}, Arrays.copyOf(s.items(), 7), name);
            assertEquals(10, Arrays.stream(s.items()).distinct().count());
        }
    }

    @Test
    void slatesNeverRepeatItemsNorExceedTheCatalogue() {
        ItemSpace items = new ItemSpace(new float[][]{{0, 0}, {0, 0}, {1, 0}, {0, 1}}, null, null, null, 2);
        for (String name : Policies.NAMES) {
            int[] s = Policies.create(name, items, config(0.5, 1)).recommend(EAST, 10).items();
            assertEquals(2, s.length, name);
            assertTrue(Arrays.stream(s).allMatch(i -> i >= 2), name + " recommended a reserved id");
            assertNotEquals(s[0], s[1]);
        }
    }

    @Test
    void descendingOrderHandlesNegativesAndTies() {
        int[] order = SlateBuilder.descending(new double[]{9, -1.5, 3, -0.25, 3, Double.NEGATIVE_INFINITY, 0}, 1);
        assertArrayEquals(new int[]{2, 4, 6, 3, 1, 5}, order);
    }

    @Test
    void rejectsBadInput() {
        ItemSpace items = circle(10, null);
        GreedyPolicy p = new GreedyPolicy(items, config(0, 1));
        assertThrows(IllegalArgumentException.class, () -> p.recommend(EAST, 0));
        assertThrows(IllegalArgumentException.class,
                () -> p.recommend(new CustomerContext("c", new float[]{1, 0, 0}), 3));
        assertThrows(IllegalArgumentException.class, () -> p.update(Feedback.observed("c", 10, 1)));
        assertThrows(IllegalArgumentException.class, () -> Policies.create("softmax", items, config(0, 1)));
    }
}
