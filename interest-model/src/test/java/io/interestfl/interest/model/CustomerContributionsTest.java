package io.interestfl.interest.model;

import io.interestfl.privacy.federation.PopularityPrior;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One merchant's part of federation-wide customer DP: clipped sums, sampling, capped item counts. */
class CustomerContributionsTest {
  static final int C = InterestModelTest.C;

  @BeforeAll
  static void threads() {
    InterestModel.configureThreads(1);
  }

  @Test
  void noSampledCustomerContributesMoreThanTheClipNormAndTheSumIsTheirSum() {
    List<CustomerHistory> customers = InterestModelTest.synthetic(40, 3);
    CustomerDpRound round = new CustomerDpRound(1.0, 0.05, 1.0, 40, 1);
    try (InterestModel model = InterestModel.create(InterestModelTest.small("lstm"))) {
      float[] before = model.parameters();
      List<double[]> seen = new ArrayList<>();
      List<Double> norms = new ArrayList<>();
      CustomerContributions.Sum sum = CustomerContributions.clippedSum(model, customers, round, 32,
          UserLevelDpTrainerTest.seeded(1), (id, c) -> {
            seen.add(c.clone());
            double s = 0;
            for (double v : c) {
              s += v * v;
            }
            norms.add(Math.sqrt(s));
          });
      assertEquals(40, sum.sampled());
      assertEquals(40, seen.size());
      assertTrue(sum.clipped() > 0, "the clip norm is small enough to bind: " + sum.meanNorm());
      for (double n : norms) {
        assertTrue(n <= 0.05, "contribution norm " + n + " exceeds C");
      }
      double[] expected = new double[sum.values().length];
      for (double[] c : seen) {
        for (int i = 0; i < c.length; i++) {
          expected[i] += c[i];
        }
      }
      assertArrayEquals(expected, sum.values(), 1e-12);
      assertArrayEquals(before, model.parameters(), "the model is not changed");
    }
  }

  @Test
  void customersAreSampledAtTheRoundsRate() {
    List<CustomerHistory> customers = InterestModelTest.synthetic(400, 5);
    CustomerDpRound round = new CustomerDpRound(0.1, 1.0, 1.0, 400, 1);
    try (InterestModel model = InterestModel.create(InterestModelTest.small("lstm"))) {
      long total = 0;
      for (int r = 0; r < 5; r++) {
        total += CustomerContributions.clippedSum(model, customers, round, 32, UserLevelDpTrainerTest.seeded(10 + r),
            null).sampled();
      }
      // 5 x 400 coins at 0.1: mean 200, sd 13.4
      assertTrue(total > 150 && total < 250, "sampled " + total);
    }
  }

  @Test
  void itemCountsTakeEachCustomersDistinctMostRecentItemsOnce() {
    List<CustomerHistory> customers = List.of(
        new CustomerHistory(1, List.of(new Basket(1, new int[] {2, 3, 3}), new Basket(2, new int[] {4, 5, 2}))),
        new CustomerHistory(2, List.of(new Basket(1, new int[] {0, 1, 7}))));
    double[] counts = CustomerContributions.itemCounts(customers, new ItemHistogramRelease(3, 1, 1), 10);
    // customer 1's three most recent distinct items: 2, 5, 4 (3 is older); customer 2: 7 (padding and OOV skipped)
    assertArrayEquals(new double[] {0, 0, 1, 0, 1, 1, 0, 1, 0, 0}, counts);
  }

  @Test
  void popularityPriorRanksTheCatalogueByTheCounts() {
    double[] counts = {0, 0, 5, 50, -3, 20};
    float[] bias = PopularityPrior.bias(counts);
    assertTrue(bias[3] > bias[5] && bias[5] > bias[2] && bias[2] > bias[4], java.util.Arrays.toString(bias));
    assertEquals(bias[4], bias[0], 1e-6);
    try (InterestModel model = InterestModel.create(InterestModelTest.small("attention"))) {
      float[] p = model.parameters();
      int offset = model.outputBiasOffset();
      assertEquals(p.length - C, offset, "out_b is the last block");
    }
  }
}
