package io.interestfl.interest.model;

import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.RealData;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.PopularityBaseline;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RankingMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trains on a real slice (Germany + France, 181 customers; the catalogue is the federation-wide one from
 * the whole file) and evaluates next-basket HR@10 / NDCG@10 on the held-out last baskets (125 customers).
 * Skipped when the shared data file is absent.
 */
class RealSliceTrainingTest {
    static ItemCatalogue catalogue;
    static TrainTestSplit split;

    @BeforeAll
    static void data() {
        InterestModel.configureThreads(1);
        RealData.Slice slice = RealData.slice(Set.of("Germany", "France"));
        catalogue = slice.catalogue();
        split = slice.split();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void trainedModelBeatsTheUntrainedOne(String arch) {
        assertEquals(125, split.test().size());
        ModelConfig cfg = ModelConfig.defaults(arch, catalogue.size());
        try (InterestModel m = InterestModel.create(cfg)) {
            float[] initial = m.parameters();
            RankingMetrics untrained = RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size());
            TrainingStats stats = m.train(split.train(), 5);
            RankingMetrics trained = RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size());
            RankingMetrics popularity = RankingEvaluator.evaluate(
                    PopularityBaseline.fromHistories(split.train(), catalogue.size()), split.test(), 10, catalogue.size());
            System.out.printf("Germany+France %s: %s; @10 untrained %s | trained %s | popularity %s%n",
                    arch, stats, untrained, trained, popularity);
            assertEquals(516, stats.examples());
            assertEquals(45, stats.steps(), "ceil(516 / 64) * 5");
            assertTrue(trained.hitRate() > untrained.hitRate() + 0.2, trained + " vs untrained " + untrained);
            assertTrue(trained.ndcg() > untrained.ndcg() + 0.03, trained + " vs untrained " + untrained);
            assertTrue(popularity.hitRate() > 0.4, "popularity is a strong baseline here: " + popularity);

            // global-model round trip: the initial parameters restore the untrained scores exactly
            float[] trainedParams = m.parameters();
            m.setParameters(initial);
            assertArrayEquals(initial, m.parameters());
            assertEquals(untrained, RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size()));
            m.setParameters(trainedParams);
            assertEquals(trained, RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size()));
        }
    }

    /**
     * A short GRU run beats popularity at HR@10. HR@10 over these 125 customers moves by up to 0.08 from one
     * epoch to the next (0.560, 0.592, 0.640, 0.560, 0.632 after epochs 2-6, mean 0.597 against 0.568;
     * deterministic with one thread and a fixed seed), so the check is on the mean over epochs 2-6.
     */
    @Test
    void gruBeatsPopularityAtHitRate() {
        int c = catalogue.size();
        RankingMetrics popularity = RankingEvaluator.evaluate(
                PopularityBaseline.fromHistories(split.train(), c), split.test(), 10, c);
        try (InterestModel m = InterestModel.create(ModelConfig.defaults(ModelConfig.GRU, c))) {
            m.train(split.train(), 1);
            double[] hr = new double[5];
            for (int epoch = 2; epoch <= 6; epoch++) {
                m.train(split.train(), 1);
                hr[epoch - 2] = RankingEvaluator.evaluate(m::score, split.test(), 10, c).hitRate();
            }
            double mean = java.util.Arrays.stream(hr).average().orElseThrow();
            System.out.printf("Germany+France gru: HR@10 after epochs 2-6 %s, mean %.3f | popularity %s%n",
                    java.util.Arrays.toString(hr), mean, popularity);
            assertTrue(mean > popularity.hitRate() + 0.02, mean + " vs popularity " + popularity);
        }
    }
}
