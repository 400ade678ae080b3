package io.interestfl.serving;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TimedHistory;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RepeatExploreScorer;
import io.interestfl.interest.evaluation.RepeatRate;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.serving.policy.CustomerContext;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.interestfl.serving.policy.RepeatHead;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

class InterestModelRepresentationsTest {
    private static final int C = 30;

    /** softmax(h . v_i + b_i) over the catalogue must reproduce InterestModel.score for both architectures. */
    @Test
    void itemVectorsAndCustomerVectorReproduceTheModelsScores() {
        InterestModel.configureThreads(1);
        List<CustomerHistory> histories = List.of(
                new CustomerHistory(12346, List.of(new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{5}))),
                new CustomerHistory(12347, List.of(new Basket(1, new int[]{7, 8, 9}))));
        for (String arch : List.of("lstm", "gru", "attention")) {
            try (InterestModel m = InterestModel.create(new ModelConfig(arch, C, 6, 8, 12, 0.01, 16, 7))) {
                InterestModelRepresentations reps = InterestModelRepresentations.of(m, histories, null);
                ItemSpace items = reps.items();
                assertEquals(C, items.size());
                assertEquals(12, items.dimension());
                assertEquals(2, items.firstItem());
                assertNull(reps.customerVector("99999"));
                // customer vectors are as of the latest basket (time 2): ages are measured from there
                float[][] scores = m.score(List.of(histories.get(0).timed(2, 2), histories.get(1).timed(1, 2)));
                for (int u = 0; u < 2; u++) {
                    float[] h = reps.customerVector(Long.toString(histories.get(u).customerId()));
                    double[] logits = new double[C];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < C; i++) {
                        double s = items.bias(i);
                        for (int j = 0; j < h.length; j++) {
                            s += h[j] * items.vector(i)[j];
                        }
                        logits[i] = s;
                        max = Math.max(max, s);
                    }
                    double z = 0;
                    for (double l : logits) {
                        z += Math.exp(l - max);
                    }
                    for (int i = 0; i < C; i++) {
                        assertEquals(scores[u][i], Math.exp(logits[i] - max) / z, 1e-5, arch + " item " + i);
                    }
                }
            }
        }
    }

    /**
     * The node serves what the evaluation scores: a greedy slate through the customers' repeat/explore heads equals
     * the top 10 of RepeatExploreScorer (the plain gate) over the same model and histories, and a rebuyer's slate
     * starts with their own items while, at a merchant whose customers never rebuy, a customer gets theirs last.
     */
    @Test
    void greedySlateThroughTheRepeatHeadIsTheEvaluatedRanking() {
        InterestModel.configureThreads(1);
        List<CustomerHistory> histories = List.of(
                // rebuys 2 and 3 every time
                new CustomerHistory(1, List.of(new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{2, 3}),
                        new Basket(3, new int[]{2, 3, 4}), new Basket(4, new int[]{2, 3}))),
                // never rebuys
                new CustomerHistory(2, List.of(new Basket(1, new int[]{5}), new Basket(2, new int[]{6}),
                        new Basket(3, new int[]{7}), new Basket(4, new int[]{8}))),
                new CustomerHistory(3, List.of(new Basket(1, new int[]{9, 10}), new Basket(2, new int[]{11}))));
        try (InterestModel m = InterestModel.create(new ModelConfig("gru", C, 6, 8, 12, 0.01, 16, 7))) {
            InterestModelRepresentations reps = InterestModelRepresentations.of(m, histories, null);
            PolicyConfig pc = PolicyConfig.defaults(1);
            var greedy = Policies.create("greedy", reps.items(), pc);
            RepeatRate population = RepeatRate.of(histories);
            assertEquals(population.rate(0), reps.populationRepeatRate(), 0);
            CaseScorer evaluated = new RepeatExploreScorer(CaseScorer.ofTimed(m::score), population);
            for (CustomerHistory h : histories) {
                String key = Long.toString(h.customerId());
                RepeatHead head = reps.repeatHead(key);
                TimedHistory input = h.timed(h.baskets().size(), 4);
                float[] want = evaluated.score(List.of(new HeldOutBasket(h.customerId(), input, new int[]{2},
                        new int[0])))[0];
                Integer[] order = new Integer[C - 2];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i + 2;
                }
                Arrays.sort(order, (a, b) -> Float.compare(want[b], want[a]));
                int[] top = new int[10];
                for (int i = 0; i < 10; i++) {
                    top[i] = order[i];
                }
                int[] served = greedy.recommend(new CustomerContext(key, reps.customerVector(key), head), 10).items();
                assertArrayEquals(top, served, "customer " + key);
            }
            int[] rebuyer = greedy.recommend(new CustomerContext("1", reps.customerVector("1"), reps.repeatHead("1")), 3)
                    .items();
            assertTrue(reps.repeatHead("1").gate() > 0.5, "rebuyer's gate " + reps.repeatHead("1").gate());
            assertEquals(java.util.Set.of(2, 3), java.util.Set.of(rebuyer[0], rebuyer[1]), Arrays.toString(rebuyer));
            // a merchant whose customers never rebuy (a ratings log): gate 0, their own items come last
            InterestModelRepresentations noRepeats = InterestModelRepresentations.of(m, histories.subList(1, 3), null);
            RepeatHead never = noRepeats.repeatHead("2");
            assertEquals(0, never.gate(), 0);
            int[] all = Policies.create("greedy", noRepeats.items(), pc)
                    .recommend(new CustomerContext("2", noRepeats.customerVector("2"), never), C - 2).items();
            for (int i = 0; i < all.length - 4; i++) {
                assertTrue(!never.contains(all[i]), "own item " + all[i] + " at slot " + i + " of " + Arrays.toString(all));
            }
            // without the head the slate is the model's alone
            InterestModelRepresentations plain = InterestModelRepresentations.of(m, histories, null, false);
            assertEquals(null, plain.repeatHead("1"));
        }
    }
}
