package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PopularityBaselineTest {
    @Test
    void countsPurchasesAndScoresEveryoneAlike() {
        List<CustomerHistory> train = List.of(
                new CustomerHistory(1, List.of(new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{3, 1}))),
                new CustomerHistory(2, List.of(new Basket(1, new int[]{3, 4}))));
        PopularityBaseline pop = PopularityBaseline.fromHistories(train, 6);
        assertArrayEquals(new float[]{0, 0, 1, 3, 1, 0}, pop.counts(), "OOV (1) is not counted");
        float[][] s = pop.score(new int[][]{{2}, {5, 4}});
        assertArrayEquals(pop.counts(), s[0]);
        assertArrayEquals(pop.counts(), s[1]);
        RankingMetrics m = RankingEvaluator.evaluate(pop, List.of(
                new HeldOutBasket(1, new int[]{2}, new int[]{3}),      // rank 1
                new HeldOutBasket(2, new int[]{2}, new int[]{4}),      // rank 3 (ties 2,4 -> lower id first)
                new HeldOutBasket(3, new int[]{2}, new int[]{5})), 2, 6); // rank 4
        assertEquals(1.0 / 3, m.hitRate(), 1e-12);
        assertEquals((1 + 1.0 / 3 + 0.25) / 3, m.mrr(), 1e-12);
    }
}
