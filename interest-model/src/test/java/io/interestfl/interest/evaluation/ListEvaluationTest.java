package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ListEvaluationTest {
    static final double EPS = 1e-9;

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void topKBreaksTiesToTheLowerIdAndSkipsReservedIds() {
        int[] out = new int[3];
        assertEquals(3, RankingEvaluator.topK(new float[]{9, 9, 0.5f, 0.5f, 0.7f, 0.5f, Float.NaN}, 3, out));
        assertArrayEquals(new int[]{4, 2, 3}, out);
        int[] big = new int[10];
        assertEquals(2, RankingEvaluator.topK(new float[]{0, 0, 1, 2}, 10, big));
        assertEquals(3, big[0]);
        assertEquals(2, big[1]);
    }

    @Test
    void coverageAndNoveltyByHand() {
        // catalogue ids 2..5; training: customer A bought 2 and 3, customer B bought 2
        List<CustomerHistory> train = List.of(new CustomerHistory(1, List.of(new Basket(0, new int[]{2, 3}))),
                new CustomerHistory(2, List.of(new Basket(0, new int[]{2}))));
        ItemPopularity pop = ItemPopularity.of(train, 6);
        assertArrayEquals(new int[]{0, 0, 2, 1, 0, 0}, pop.customersPerItem());
        CaseScorer fixed = cases -> {
            float[][] s = new float[cases.size()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = cases.get(i).customerId() == 1 ? new float[]{0, 0, 3, 2, 1, 0} : new float[]{0, 0, 0, 0, 2, 3};
            }
            return s;
        };
        List<HeldOutBasket> test = List.of(new HeldOutBasket(1, new int[]{2}, new int[]{3}),
                new HeldOutBasket(2, new int[]{2}, new int[]{2}));
        ListEvaluation e = RankingEvaluator.evaluateLists(fixed, test, 2, 6, pop);
        // lists: [2, 3] and [5, 4]; customer 1's target at rank 2, customer 2's at rank 3 (ties to the lower id)
        assertEquals(0.5, e.hitRate(), EPS);
        assertEquals((1 / log2(3)) / 1 / 2, e.ndcg(), EPS);
        assertEquals((0.5 + 1 / 3.0) / 2, e.mrr(), EPS);
        assertEquals(1.0, e.coverage(), EPS, "all four products recommended");
        double si2 = -log2(3 / 3.0), si3 = -log2(2 / 3.0), si45 = -log2(1 / 3.0);
        assertEquals((si2 + si3 + 2 * si45) / 4, e.novelty(), EPS);

        ListEvaluation a = RankingEvaluator.evaluateLists(fixed, test.subList(0, 1), 2, 6, pop);
        ListEvaluation b = RankingEvaluator.evaluateLists(fixed, test.subList(1, 2), 2, 6, pop);
        ListEvaluation both = ListEvaluation.combine(List.of(a, b));
        assertEquals(e.ndcg(), both.ndcg(), EPS);
        assertEquals(e.mrr(), both.mrr(), EPS);
        assertEquals(e.novelty(), both.novelty(), EPS);
        assertEquals(1.0, both.coverage(), EPS);
        assertEquals(0.5, a.coverage(), EPS);
        assertEquals(RankingEvaluator.evaluateCases(fixed, test, 2, 6), e.metrics());
        assertThrows(IllegalArgumentException.class, () -> ListEvaluation.combine(List.of(a,
                RankingEvaluator.evaluateLists(fixed, test, 3, 6, pop))));
    }

    @Test
    void coOccurrenceFollowsTheLastBasket() {
        // A: [2,3] -> [4] ; B: [2] -> [4,5] ; C: [3] -> [5]   (ids 2..6, catalogue 7)
        List<CustomerHistory> train = List.of(
                new CustomerHistory(1, List.of(new Basket(0, new int[]{2, 3}), new Basket(1, new int[]{4}))),
                new CustomerHistory(2, List.of(new Basket(0, new int[]{2}), new Basket(1, new int[]{4, 5}))),
                new CustomerHistory(3, List.of(new Basket(0, new int[]{3}), new Basket(1, new int[]{5}))));
        CoOccurrenceBaseline m = CoOccurrenceBaseline.fromHistories(train, 7);
        assertEquals(4, m.pairs(), "2->4, 2->5, 3->4, 3->5");
        float[] s = m.score(List.of(new HeldOutBasket(9, new int[]{2}, new int[]{4}, new int[]{2})))[0];
        // out(2) = 3 transitions: 2->4 twice, 2->5 once
        assertEquals(2 / 3.0, s[4], 1e-5);
        assertEquals(1 / 3.0, s[5], 1e-5);
        assertEquals(0, s[6], 1e-5, "never bought: zero apart from the popularity tie-break");
        float[] both = m.score(List.of(new HeldOutBasket(9, new int[]{2, 3}, new int[]{4}, new int[]{2, 3})))[0];
        assertEquals(2 / 3.0 + 1 / 2.0, both[4], 1e-5);
        float[] none = m.score(List.of(new HeldOutBasket(9, new int[]{6}, new int[]{4})))[0];
        int[] top = new int[1];
        RankingEvaluator.topK(none, 1, top);
        assertEquals(2, top[0], "no last basket: popularity order (2..5 each bought twice: the lowest id first)");
    }

    @Test
    void historyMixRanksRepeatsFirstAtFullWeight() {
        CaseScorer flat = cases -> new float[][]{{0, 0, 5, 4, 3, 2}};
        HistoryMixScorer own = new HistoryMixScorer(flat, 1.0, 1.0);
        float[] s = own.score(List.of(new HeldOutBasket(1, new int[]{5, 4, 5}, new int[]{2})))[0];
        int[] top = new int[4];
        RankingEvaluator.topK(s, 4, top);
        assertArrayEquals(new int[]{5, 4, 2, 3}, top, "own history first (5 twice), then the base order");
        HistoryMixScorer half = new HistoryMixScorer(flat, 0.5, 1.0);
        float[] h = half.score(List.of(new HeldOutBasket(1, new int[]{5}, new int[]{2})))[0];
        assertEquals(0.5 * 5 / 14 , h[2], 1e-6);
        assertEquals(0.5 * 2 / 14 + 0.5, h[5], 1e-6);
        HistoryMixScorer decayed = new HistoryMixScorer(flat, 1.0, 0.5);
        float[] d = decayed.score(List.of(new HeldOutBasket(1, new int[]{4, 4, 5}, new int[]{2})))[0];
        assertEquals(1 / 1.75, d[5], 1e-5, "weights 1 (5), 0.5 and 0.25 (4): 5 gets 1/1.75");
        assertThrows(IllegalArgumentException.class, () -> new HistoryMixScorer(flat, 1.5, 1));
    }
}
