package io.interestfl.privacy.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.privacy.accounting.UnreachablePrivacyTargetException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerDpPlanTest {
  @Test
  void calibratedNoiseMeetsTheTargetTightlyWithTheHistogramIncluded() {
    ItemHistogramRelease histogram = new ItemHistogramRelease(20, 5, 6);
    CustomerDpPlan plan = CustomerDpPlan.calibrate(8, 1e-5, 30, 256, 0.1, 4335, 6, histogram);
    double spent = plan.spentAfter(30).epsilon();
    assertTrue(spent <= 8, "spent " + spent);
    assertTrue(spent > 7.99, "not tight: " + spent);
    // the same total from the accountant directly: histogram (q = 1) then 30 subsampled steps over all customers
    double direct = new RdpAccountant().compose(histogram.mechanism())
        .compose(new io.interestfl.privacy.accounting.SubsampledGaussian(256.0 / 4335, plan.round().noiseMultiplier(), 30))
        .epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
    assertEquals(direct, spent, 1e-12);
    assertEquals(256.0 / 4335, plan.round().samplingRate(), 1e-15);
    assertEquals(256, plan.round().expectedCustomers(), 1e-9);
  }

  @Test
  void oneFederationPaysOnceNotOncePerMerchant() {
    // six merchants of 700 customers, each customer sampled with the same rate q = 256/4200 a round either way.
    // Federation: one noise zC on the sum of ~256 customers. Per node: each node noises its own ~43 customers'
    // sum with zC (the same z: same q, same rounds), and the mean of the six nodes' means carries zC/(43 sqrt 6).
    CustomerDpPlan federation = CustomerDpPlan.calibrate(8, 1e-5, 30, 256, 0.1, 4200, 6, null);
    CustomerDpPlan perNode = CustomerDpPlan.calibrate(8, 1e-5, 30, 256.0 / 6, 0.1, 700, 1, null);
    assertEquals(federation.round().samplingRate(), perNode.round().samplingRate(), 1e-15);
    assertEquals(federation.round().noiseMultiplier(), perNode.round().noiseMultiplier(), 1e-3);
    double federationNoiseOnMean = federation.round().noiseStddev() / federation.round().expectedCustomers();
    double perNodeNoiseOnMean = perNode.round().noiseStddev() / perNode.round().expectedCustomers() / Math.sqrt(6);
    assertEquals(Math.sqrt(6), perNodeNoiseOnMean / federationNoiseOnMean, 0.01);
  }

  @Test
  void aHistogramThatAloneExceedsTheTargetIsRefused() {
    UnreachablePrivacyTargetException e = assertThrows(UnreachablePrivacyTargetException.class,
        () -> CustomerDpPlan.calibrate(1, 1e-5, 10, 100, 0.1, 1000, 3, new ItemHistogramRelease(20, 0.5, 3)));
    assertTrue(e.getMessage().contains("histogram"), e.getMessage());
  }

  @Test
  void shareStddevsAddUpToTheAccountedNoise() {
    CustomerDpRound round = new CustomerDpRound(0.05, 0.2, 1.3, 5000, 7);
    assertEquals(round.noiseStddev() * round.noiseStddev(), 7 * round.shareStddev() * round.shareStddev(), 1e-12);
    ItemHistogramRelease h = new ItemHistogramRelease(16, 4, 5);
    assertEquals(16.0, h.noiseStddev(), 1e-12);
    assertEquals(h.noiseStddev() * h.noiseStddev(), 5 * h.shareStddev() * h.shareStddev(), 1e-9);
  }

  @Test
  void aNodeFindsWhatIsWrongWithARoundBeforeItContributes() {
    CustomerDpRound round = new CustomerDpRound(0.05, 0.2, 0.8, 1000, 5);
    assertEquals(List.of(), round.problems(300, 0.5, 6));
    List<String> problems = round.problems(3000, 1.0, 4);
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("below this node's minimum"), problems.get(0));
    assertTrue(problems.get(1).contains("population 1000"), problems.get(1));
    assertTrue(problems.get(2).contains("only 4"), problems.get(2));
  }

  @Test
  void badParametersAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CustomerDpRound(1.5, -1, 0, 0, 0));
    for (String word : List.of("sampling rate", "clip norm", "noise multiplier", "population", "min contributors")) {
      assertTrue(e.getMessage().contains(word), e.getMessage());
    }
  }
}
