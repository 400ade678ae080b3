package io.interestfl.interest.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RankingEvaluator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalAdaptationTest {
  @BeforeAll
  static void threads() {
    InterestModel.configureThreads(1);
  }

  @Test
  void anUntrainedModelIsAdaptedAndScoresBetterOnHeldOutBaskets() {
    List<CustomerHistory> data = InterestModelTest.synthetic(40, 5);
    TrainTestSplit split = TrainTestSplit.lastBasket(data);
    try (InterestModel model = InterestModel.create(InterestModelTest.small("attention"))) {
      float[] start = model.parameters();
      double before = ndcg(model, split);
      int epochs = LocalAdaptation.adapt(model, start, split.train(), 8);
      assertTrue(epochs > 0, "a model that knows nothing is worth adapting");
      assertTrue(ndcg(model, split) > before + 0.1, "adapted " + ndcg(model, split) + " vs " + before);
    }
  }

  @Test
  void zeroEpochsKeepsTheGlobalModelAndBadBoundsAreRefused() {
    List<CustomerHistory> data = InterestModelTest.synthetic(10, 6);
    try (InterestModel model = InterestModel.create(InterestModelTest.small("lstm"))) {
      float[] start = model.parameters();
      assertEquals(0, LocalAdaptation.adapt(model, start, data, 0));
      assertArrayEquals(start, model.parameters());
      assertEquals(7, LocalAdaptation.validatedEpochs(model, start, List.of(), 1, 3, 7),
          "no validation basket: the fallback");
      assertThrows(IllegalArgumentException.class, () -> LocalAdaptation.validatedEpochs(model, start, data, 3, 2, 0));
    }
  }

  private static double ndcg(InterestModel model, TrainTestSplit split) {
    return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(model::score), split.test(), 10,
        model.config().catalogueSize()).ndcg();
  }
}
