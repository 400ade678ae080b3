package io.interestfl.interest.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TimedHistory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivateTransitionsTest {
  static final int C = 12;

  @Test
  void eachCustomerCountsAtMostKDistinctRecentPairsInTheHead() {
    double[] counts = {0, 0, 9, 8, 7, 1, 0, 0, 0, 0, 0, 0};
    PrivateTransitions t = new PrivateTransitions(counts, 3);   // head: items 2, 3, 4
    assertEquals(3, t.headSize());
    CustomerHistory c = new CustomerHistory(1, List.of(new Basket(1, new int[] {2, 5}),
        new Basket(2, new int[] {3, 3}), new Basket(3, new int[] {4, 2})));
    double[] pairs = t.customerPairs(List.of(c), 2);
    // most recent transition first: 3 -> 4 and 3 -> 2 fill k = 2; the older 2 -> 3 is not counted; 5 is outside
    double[] expected = new double[9];
    expected[1 * 3 + 2] = 1;   // 3 -> 4
    expected[1 * 3 + 0] = 1;   // 3 -> 2
    assertArrayEquals(expected, pairs);
  }

  @Test
  void strongTransitionsOutrankPopularityAndNoiseBelowTwoSigmaIsIgnored() {
    double[] counts = {0, 0, 50, 40, 30, 20, 10, 0, 0, 0, 0, 0};
    PrivateTransitions t = new PrivateTransitions(counts, 5);
    List<CustomerHistory> customers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {   // 6 always follows 2
      customers.add(new CustomerHistory(i, List.of(new Basket(1, new int[] {2}), new Basket(2, new int[] {6}))));
    }
    double[] released = t.customerPairs(customers, 4);
    released[1 * 5 + 4] += 3;   // a small noisy entry 3 -> 6, below 2 sigma = 4
    CaseScorer s = t.scorer(released, 2, 4, counts);
    float[][] scores = s.score(List.of(
        new HeldOutBasket(1, TimedHistory.untimed(new int[] {2}), new int[] {6}, new int[] {2}),
        new HeldOutBasket(2, TimedHistory.untimed(new int[] {3}), new int[] {6}, new int[] {3})));
    assertTrue(scores[0][6] > scores[0][2], "after 2 comes 6, above the most popular item");
    assertTrue(scores[1][2] > scores[1][6], "below 2 sigma the transition 3 -> 6 is not used: popularity orders");
  }
}
