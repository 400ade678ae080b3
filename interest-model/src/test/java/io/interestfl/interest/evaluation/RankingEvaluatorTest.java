package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankingEvaluatorTest {
    static final double EPS = 1e-9;
    static final double L3 = 1 / (Math.log(3) / Math.log(2));   // 1/log2(3)
    static final double L5 = 1 / (Math.log(5) / Math.log(2));

    // catalogue of 6 ids; ids 0 and 1 get huge scores to check that they are never ranked
    static final float[] A = {9, 9, 0.1f, 0.4f, 0.3f, 0.2f};   // ranks: id3=1, id4=2, id5=3, id2=4
    static final float[] B = {9, 9, 0.5f, 0.5f, 0.5f, 0.1f};   // ties to lower id: id2=1, id3=2, id4=3, id5=4

    /** Scores row A for histories starting with 0, row B otherwise. */
    static final Scorer TINY = hs -> {
        float[][] out = new float[hs.length][];
        for (int i = 0; i < hs.length; i++) {
            out[i] = (hs[i][0] == 0 ? A : B).clone();
        }
        return out;
    };

    static List<HeldOutBasket> tinyTest() {
        return List.of(new HeldOutBasket(1, new int[]{0}, new int[]{4, 2}),
                new HeldOutBasket(2, new int[]{1}, new int[]{4}));
    }

    @Test
    void handComputedAtK2() {
        RankingMetrics m = RankingEvaluator.evaluate(TINY, tinyTest(), 2, 6);
        // user 1: target ranks 2 and 4 -> hit; DCG = 1/log2(3); IDCG = 1 + 1/log2(3); RR = 1/2
        // user 2: target rank 3 -> miss; NDCG 0; RR = 1/3
        assertEquals(2, m.users());
        assertEquals(0.5, m.hitRate(), EPS);
        assertEquals((L3 / (1 + L3) + 0) / 2, m.ndcg(), EPS);
        assertEquals(0.19342640361727081, m.ndcg(), 1e-12);
        assertEquals((0.5 + 1.0 / 3) / 2, m.mrr(), EPS);
    }

    @Test
    void handComputedAtK10() {
        RankingMetrics m = RankingEvaluator.evaluate(TINY, tinyTest(), 10, 6);
        assertEquals(1.0, m.hitRate(), EPS);
        // user 1: (1/log2(3) + 1/log2(5)) / (1 + 1/log2(3)); user 2: (1/log2(4)) / 1
        assertEquals(((L3 + L5) / (1 + L3) + 0.5) / 2, m.ndcg(), EPS);
        assertEquals((0.5 + 1.0 / 3) / 2, m.mrr(), EPS, "MRR is not truncated at K");
    }

    @Test
    void perfectAndWorstRankings() {
        List<HeldOutBasket> t = List.of(new HeldOutBasket(1, new int[]{0}, new int[]{3, 4}));
        RankingMetrics perfect = RankingEvaluator.evaluate(TINY, t, 2, 6);
        assertEquals(1.0, perfect.hitRate(), EPS);
        assertEquals(1.0, perfect.ndcg(), EPS);
        assertEquals(1.0, perfect.mrr(), EPS);
        RankingMetrics worst = RankingEvaluator.evaluate(TINY, List.of(new HeldOutBasket(1, new int[]{0}, new int[]{2})), 1, 6);
        assertEquals(0, worst.hitRate(), EPS);
        assertEquals(0.25, worst.mrr(), EPS);
    }

    @Test
    void rankTieBreakAndNaN() {
        assertEquals(1, RankingEvaluator.rank(B, 2));
        assertEquals(2, RankingEvaluator.rank(B, 3));
        assertEquals(3, RankingEvaluator.rank(B, 4));
        float[] withNaN = {0, 0, Float.NaN, 0.1f, -5f};
        assertEquals(3, RankingEvaluator.rank(withNaN, 2), "NaN ranks as -infinity");
        assertEquals(1, RankingEvaluator.rank(withNaN, 3));
    }

    @Test
    void batchesOf256AndEmptyTest() {
        List<HeldOutBasket> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new HeldOutBasket(i, new int[]{i % 2}, new int[]{3}));
        }
        List<Integer> calls = new ArrayList<>();
        Scorer counting = hs -> {
            calls.add(hs.length);
            return TINY.score(hs);
        };
        RankingMetrics m = RankingEvaluator.evaluate(counting, many, 1, 6);
        assertEquals(List.of(256, 256, 88), calls);
        assertEquals(0.5, m.hitRate(), EPS);
        assertEquals(600, m.users());
        assertEquals(new RankingMetrics(0, 0, 0, 0), RankingEvaluator.evaluate(TINY, List.of(), 10, 6));
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> RankingEvaluator.evaluate(TINY, tinyTest(), 0, 6));
        assertThrows(IllegalArgumentException.class, () -> RankingEvaluator.evaluate(TINY,
                List.of(new HeldOutBasket(1, new int[]{0}, new int[]{1})), 2, 6));
        assertThrows(IllegalStateException.class, () -> RankingEvaluator.evaluate(TINY, tinyTest(), 2, 7));
    }
}
