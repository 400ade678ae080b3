package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.BasketSequences;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.RealData;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.interest.model.TrainingStats;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a real slice (Germany + France, 125 held-out baskets; federation-wide catalogue) a short training
 * run (5 epochs) of the attention model beats popularity at HR@10; mixed with the customer's own
 * history it beats it at HR@10 and NDCG@10 by a wide margin, and so does the own-history baseline. Skipped when the shared data file is absent.
 */
class RealSliceBaselinesTest {
    @Test
    void shortTrainingRunWithHistoryBeatsPopularity() {
        InterestModel.configureThreads(1);
        ItemCatalogue catalogue = ItemCatalogue.fromPurchases(RealData.load(Set.of()).purchases());
        TrainTestSplit split = TrainTestSplit.lastBasket(
                BasketSequences.build(RealData.load(Set.of("Germany", "France")).purchases(), catalogue));
        int c = catalogue.size();
        ItemPopularity pop = ItemPopularity.of(split.train(), c);
        CaseScorer popularity = CaseScorer.of(PopularityBaseline.fromHistories(split.train(), c));
        ListEvaluation p = RankingEvaluator.evaluateLists(popularity, split.test(), 10, c, pop);
        ListEvaluation own = RankingEvaluator.evaluateLists(new HistoryMixScorer(popularity, 1, 1), split.test(), 10, c, pop);
        try (InterestModel m = InterestModel.create(ModelConfig.defaults(ModelConfig.ATTENTION, c))) {
            TrainingStats s = m.train(split.train(), 5);
            ListEvaluation model = RankingEvaluator.evaluateLists(CaseScorer.of(m::score), split.test(), 10, c, pop);
            ListEvaluation mixed = RankingEvaluator.evaluateLists(
                    new HistoryMixScorer(CaseScorer.of(m::score), 0.5, 1), split.test(), 10, c, pop);
            System.out.printf("Germany+France: popularity %s | own history %s | attention (%d steps) %s | "
                    + "attention+history %s%n", p, own, s.steps(), model, mixed);
            assertEquals(125, p.users());
            assertTrue(own.hitRate() > p.hitRate() && own.ndcg() > p.ndcg(), own + " vs popularity " + p);
            // the model alone: HR@10 0.592 vs 0.568 here (3 customers; deterministic with one thread and a fixed seed)
            assertTrue(model.hitRate() > p.hitRate(), model + " vs popularity " + p);
            assertTrue(mixed.hitRate() > p.hitRate() + 0.05, mixed + " vs popularity " + p);
            assertTrue(mixed.ndcg() > p.ndcg() * 1.2, mixed + " vs popularity " + p);
            assertTrue(mixed.coverage() > p.coverage(), "personal lists cover more of the catalogue");
        }
    }
}
