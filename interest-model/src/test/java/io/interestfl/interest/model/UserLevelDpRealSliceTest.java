package io.interestfl.interest.model;

import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.RealData;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Utility of user-level DP-SGD on a real slice (Germany + France: 181 training customers, 125 held-out last
 * baskets; federation-wide catalogue): at epsilon = 8 (delta 1e-5, 3 epochs) the LSTM still ranks the held-out
 * baskets far better than the untrained model. At epsilon = 3 the result is erratic on a slice this small
 * (HR@10 0.07 to 0.26 in our runs), so it is not asserted. Skipped when the shared data file is absent.
 */
class UserLevelDpRealSliceTest {
    static final double EPSILON = 8.0, DELTA = 1e-5;
    static ItemCatalogue catalogue;
    static TrainTestSplit split;

    @BeforeAll
    static void data() {
        InterestModel.configureThreads(1);
        RealData.Slice slice = RealData.slice(Set.of("Germany", "France"));
        catalogue = slice.catalogue();
        split = slice.split();
    }

    @Test
    void lstmTrainedWithUserLevelDpBeatsTheUntrainedModel() {
        int n = split.train().size(), epochs = 3;
        // tuned on this slice (docs/privacy.md): small clip norm (every customer is clipped), q = 1/3, Adam 0.02
        ModelConfig cfg = ModelConfig.defaults(ModelConfig.LSTM, catalogue.size()).withLearningRate(0.02);
        DpSgdConfig dp = DpSgdConfig.calibrated(EPSILON, DELTA, n, epochs, 0.1, 60, 32);
        try (InterestModel m = InterestModel.create(cfg)) {
            RankingMetrics untrained = RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size());
            UserLevelDpTrainer trainer = new UserLevelDpTrainer(m, dp, UserLevelDpTrainerTest.seeded(11));
            TrainingStats stats = trainer.train(split.train(), epochs);
            RankingMetrics trained = RankingEvaluator.evaluate(m::score, split.test(), 10, catalogue.size());
            double eps = new RdpAccountant().compose(trainer.lastMechanism()).epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon();
            System.out.printf("Germany+France lstm user-level DP %s: %s; %s; epsilon %.3f; @10 untrained %s | DP %s%n",
                    dp, stats, trainer.lastReport(), eps, untrained, trained);
            assertEquals(epochs * dp.stepsPerEpoch(n), stats.steps());
            assertTrue(eps <= EPSILON + 1e-9, "epsilon " + eps);
            // measured 0.336 and 0.344 (untrained 0.056; normal training 0.55): see docs/privacy.md
            assertTrue(trained.hitRate() > untrained.hitRate() + 0.15, trained + " vs untrained " + untrained);
            assertTrue(trained.ndcg() > untrained.ndcg(), trained + " vs untrained " + untrained);
        }
    }
}
