package io.interestfl.interest.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TimedHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatExploreScorerTest {
  private static final int N = 8;   // ids 0, 1 reserved; items 2..7

  /** A base model that likes items in id order: 7 best, 2 worst. */
  private static final CaseScorer MODEL = cases -> {
    float[][] s = new float[cases.size()][N];
    for (float[] row : s) {
      for (int j = 2; j < N; j++) {
        row[j] = j;
      }
    }
    return s;
  };

  private static HeldOutBasket timedCase(int[] items, long[] times) {
    return new HeldOutBasket(1, new TimedHistory(items, times, null, 100), new int[] {2}, new int[0]);
  }

  @Test
  void repeatRateCountsDistinctItemsOfLaterStepsSeenBefore() {
    CustomerHistory c = new CustomerHistory(1, List.of(
        new Basket(1, new int[] {2, 3}),
        new Basket(2, new int[] {3, 3, 4}),   // 3 repeats, 4 is new: 1 of 2
        new Basket(3, new int[] {2, 5})));    // 2 repeats: 1 of 2
    assertEquals(new RepeatRate(2, 4), RepeatRate.of(List.of(c)));
    assertEquals(new RepeatRate(2, 4), RepeatRate.ofItems(new int[] {2, 3, 3, 3, 4, 2, 5}, new long[] {1, 1, 2, 2, 2, 3, 3}));
    assertEquals(new RepeatRate(1, 2), RepeatRate.ofItems(new int[] {2, 3, 2}, null), "untimed: every item a step");
    assertEquals(0.5, new RepeatRate(2, 4).rate(0));
    assertEquals(0.3, RepeatRate.NONE.rate(0.3));
    assertThrows(IllegalArgumentException.class, () -> new RepeatRate(3, 2));
  }

  @Test
  void gateShrinksTheCustomersOwnRateTowardsThePopulation() {
    RepeatExploreScorer scorer = new RepeatExploreScorer(MODEL, new RepeatRate(1, 4), 10, 1, 1, true);   // g0 = 0.25
    TimedHistory fresh = TimedHistory.untimed(new int[] {5});
    assertEquals(0.25, scorer.gate(fresh), 1e-12, "nothing to go on but the population");
    // 10 later steps, all repeats: (10 + 10 x 0.25) / (10 + 10)
    int[] loyal = new int[11];
    java.util.Arrays.fill(loyal, 3);
    assertEquals(12.5 / 20, scorer.gate(TimedHistory.untimed(loyal)), 1e-12);
  }

  @Test
  void withoutRepeatsInThePopulationItExploresInTheModelsOrder() {
    RepeatExploreScorer scorer = new RepeatExploreScorer(MODEL, new RepeatRate(0, 100));
    HeldOutBasket c = timedCase(new int[] {7, 6}, new long[] {1, 2});   // two steps, no repeat
    float[] s = scorer.score(List.of(c))[0];
    assertTrue(s[5] > s[4] && s[4] > s[3] && s[3] > s[2], "the model's order among new items");
    assertTrue(s[2] > s[7] && s[2] > s[6], "items already had go below every new one when nobody repeats");
  }

  @Test
  void aCustomerWhoAlwaysRepeatsGetsTheirHistoryFirst() {
    RepeatExploreScorer scorer = new RepeatExploreScorer(MODEL, new RepeatRate(90, 100));
    int[] items = {2, 2, 3, 2, 2, 3, 2};
    long[] times = {1, 2, 3, 4, 5, 6, 7};
    float[] s = scorer.score(List.of(timedCase(items, times)))[0];
    assertTrue(s[2] > s[3], "the more frequent repeat first");
    for (int j = 4; j < N; j++) {
      assertTrue(s[3] > s[j], "history above the model's favourites: item " + j);
    }
    double sum = 0;
    for (float v : s) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-6, "a distribution over the catalogue");
  }

  @Test
  void validationChoosesHowMuchToTrustTheHistory() {
    RepeatRate some = new RepeatRate(30, 100);
    // customers who rebuy their item 2 (the model's least favourite): the history must win
    List<HeldOutBasket> rebuyers = List.of(
        new HeldOutBasket(1, TimedHistory.untimed(new int[] {2, 3, 2}), new int[] {2}, new int[0]),
        new HeldOutBasket(2, TimedHistory.untimed(new int[] {2, 4, 2}), new int[] {2}, new int[0]));
    RepeatExploreScorer.Gate trust = RepeatExploreScorer.choose(MODEL, some, rebuyers, N);
    assertTrue(trust.scale() >= 1, "the smallest scale that ranks the rebought item first: " + trust);
    float[] s = trust.apply(MODEL, some).score(rebuyers.subList(0, 1))[0];
    for (int j = 3; j < N; j++) {
      assertTrue(s[2] > s[j], "item 2 first, above " + j);
    }
    // customers whose next item is the model's favourite, which they already had: the model alone wins
    List<HeldOutBasket> modelFans = List.of(
        new HeldOutBasket(1, TimedHistory.untimed(new int[] {7, 3, 2}), new int[] {7}, new int[0]),
        new HeldOutBasket(2, TimedHistory.untimed(new int[] {7, 4, 2}), new int[] {7}, new int[0]));
    assertEquals(0, RepeatExploreScorer.choose(MODEL, some, modelFans, N).scale());
    assertEquals(RepeatExploreScorer.Gate.PLAIN, RepeatExploreScorer.choose(MODEL, some, List.of(), N),
        "no validation: the plain gate");
  }

  @Test
  void unmaskedAnItemBothReboughtAndLikedByTheModelGetsBothShares() {
    RepeatRate some = new RepeatRate(30, 100);
    HeldOutBasket c = new HeldOutBasket(1, TimedHistory.untimed(new int[] {7, 2, 3}), new int[] {7}, new int[0]);
    float[] masked = new RepeatExploreScorer.Gate(1, true).apply(MODEL, some).score(List.of(c))[0];
    float[] unmasked = new RepeatExploreScorer.Gate(1, false).apply(MODEL, some).score(List.of(c))[0];
    assertTrue(unmasked[7] > unmasked[2] && unmasked[7] > unmasked[6], "7: history and the model's favourite");
    assertEquals(masked[7], masked[2], 1e-6, "masked, 7 is one history item among three");
  }

  @Test
  void theChoiceScoresTheChosenGateFromOneBasePass() {
    RepeatRate some = new RepeatRate(30, 100);
    List<HeldOutBasket> rebuyers = new java.util.ArrayList<>();
    for (int u = 0; u < 300; u++) {   // more than one evaluator batch
      rebuyers.add(new HeldOutBasket(u, TimedHistory.untimed(new int[] {2, 3 + u % 4, 2}), new int[] {2}, new int[0]));
    }
    int[] calls = {0};
    CaseScorer counted = cases -> {
      calls[0]++;
      return MODEL.score(cases);
    };
    RepeatExploreScorer.Choice choice = RepeatExploreScorer.chooseScored(counted, some, rebuyers, N);
    int passes = calls[0];
    assertEquals(RepeatExploreScorer.choose(MODEL, some, rebuyers, N), choice.gate());
    assertEquals(RankingEvaluator.evaluateCases(choice.gate().apply(MODEL, some), rebuyers, 10, N).ndcg(),
        choice.ndcg(), 1e-12, "the score is the chosen gate's, as if scored alone");
    assertEquals(1.0, choice.ndcg(), 1e-12, "every rebought item 2 ranked first");
    assertEquals(1, passes, "the base scorer ran once for all 11 gates");
    assertTrue(Double.isNaN(RepeatExploreScorer.chooseScored(MODEL, some, List.of(), N).ndcg()));
  }
}
