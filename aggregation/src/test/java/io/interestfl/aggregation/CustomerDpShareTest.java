package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.quantization.Quantizer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CustomerDpShareTest {
  @Test
  void widestPrecisionFillsThe32BitModulus() {
    assertEquals(31, CustomerDpShare.precisionFor(1));
    assertEquals(31, CustomerDpShare.precisionFor(2));
    assertEquals(28, CustomerDpShare.precisionFor(11));
    assertEquals(28, CustomerDpShare.precisionFor(16));
    assertEquals(27, CustomerDpShare.precisionFor(17));
  }

  /**
   * Three merchants, m = 3: the sum decoded from the modular sum of their words is the true sum plus noise of
   * stddev z D range / L (the accounted mechanism), and the coordinates outside the region stay exactly 0.
   */
  @Test
  void releasedSumCarriesTheAccountedNoiseAndNothingLeaksOutsideTheRegion() {
    int merchants = 3;
    int stateLength = 30_000;
    int offset = 5_000;
    int length = 20_000;
    CustomerDpShare share = new CustomerDpShare(4_000, Math.sqrt(20), 2.0, merchants,
        CustomerDpShare.precisionFor(merchants), offset, length);
    assertTrue(share.inflation() < 1.01, share.toString());
    Quantizer quantizer = share.quantizer(merchants);
    SecureRandom random = new SecureRandom();
    double[] truth = new double[length];
    int[] sum = null;
    for (int k = 0; k < merchants; k++) {
      double[] counts = new double[length];
      for (int i = 0; i < length; i++) {
        counts[i] = (i * 7 + k * 13) % 50;
        truth[i] += counts[i];
      }
      int[] words = share.encode(quantizer, counts, stateLength, random);
      sum = sum == null ? words : quantizer.addModular(sum, words);
    }
    float[] mean = SecureQuantization.decode(quantizer, sum);
    for (int i = 0; i < stateLength; i++) {
      if (i < offset || i >= offset + length) {
        assertEquals(0f, mean[i], "coordinate " + i + " outside the region");
      }
    }
    double[] released = share.releasedSum(mean, merchants);
    double m1 = 0;
    double m2 = 0;
    for (int i = 0; i < length; i++) {
      double e = released[i] - truth[i];
      m1 += e / length;
      m2 += e * e / length;
    }
    double std = Math.sqrt(m2 - m1 * m1);
    double expected = share.noiseStddev();
    assertEquals(2.0 * Math.sqrt(20) * share.inflation(), expected, 1e-9);
    assertEquals(expected, std, 0.03 * expected, "noise stddev");
    assertEquals(0, m1, 4 * expected / Math.sqrt(length), "noise mean");
  }

  @Test
  void refusesValuesThatDoNotFitTheRegion() {
    CustomerDpShare share = new CustomerDpShare(10, 1, 1, 1, 20, 2, 3);
    Quantizer quantizer = share.quantizer(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> share.encode(quantizer, new double[4], 10, new SecureRandom()));
    assertTrue(e.getMessage().contains("region of 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> share.encode(quantizer, new double[] {1, Double.NaN, 0}, 10, new SecureRandom()));
  }
}
