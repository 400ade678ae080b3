package io.interestfl.interest.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TrainTestSplit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalPopularityBlendTest {
  static final int C = 20;

  /** Every customer buys the merchant's favourite item 7 in every basket, plus one item of their own. */
  static List<CustomerHistory> shop() {
    List<CustomerHistory> out = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      List<Basket> baskets = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        baskets.add(new Basket(b, new int[] {7, 8 + (u + b) % 10}));
      }
      out.add(new CustomerHistory(u, baskets));
    }
    return out;
  }

  /** A federation's scorer that knows nothing of this merchant: it puts item 2 first, item 7 last. */
  static final CaseScorer FOREIGN = cases -> {
    float[][] s = new float[cases.size()][C];
    for (float[] row : s) {
      for (int i = 2; i < C; i++) {
        row[i] = i == 7 ? 0 : 1f / i;
      }
    }
    return s;
  };

  @Test
  void aForeignScorerIsMixedWithTheMerchantsOwnPopularityUntilItsFavouriteRanksFirst() {
    List<CustomerHistory> train = shop();
    LocalPopularityBlend.Choice choice = LocalPopularityBlend.choose(FOREIGN, train, C, 10, 20);
    assertTrue(choice.beta() >= 1, "beta " + choice.beta());
    List<HeldOutBasket> validation = TrainTestSplit.lastBasket(train).test();
    assertEquals(60, choice.validationCases());
    float[][] scores = choice.scorer().score(validation.subList(0, 1));
    for (int i = 2; i < C; i++) {
      assertTrue(i == 7 || scores[0][7] > scores[0][i], "item 7 first, not " + i);
    }
    double foreign = RankingEvaluator.evaluateCases(FOREIGN, validation, 10, C).ndcg();
    assertTrue(choice.validationNdcg() > foreign + 0.1, choice.validationNdcg() + " vs " + foreign);
  }

  @Test
  void aScorerThatAlreadyKnowsTheShopIsKeptAndTooFewCasesChangeNothing() {
    List<CustomerHistory> train = shop();
    CaseScorer own = CaseScorer.of(PopularityBaseline.fromHistories(train, C));
    assertEquals(0, LocalPopularityBlend.choose(own, train, C, 10, 20).beta(), "nothing to add");
    LocalPopularityBlend.Choice few = LocalPopularityBlend.choose(FOREIGN, train.subList(0, 5), C, 10, 20);
    assertEquals(0, few.beta());
    assertTrue(Double.isNaN(few.validationNdcg()));
  }
}
