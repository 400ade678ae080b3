package io.interestfl.secagg.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class QuantizerTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void bitWidthLeavesLog2NHeadroom() {
    assertEquals(26, Quantizer.forCohort(1000, 1.0, 1.0, 16).bitWidth());
    assertEquals(18, Quantizer.forCohort(3, 1.0, 1.0, 16).bitWidth());
    assertEquals(32, Quantizer.maxPrecision(1000, 1.0, 1.0).bitWidth());
    assertEquals(22, Quantizer.maxPrecision(1000, 1.0, 1.0).precisionBits());
    assertThrows(IllegalArgumentException.class, () -> Quantizer.forCohort(1000, 1.0, 1.0, 23));
    assertThrows(IllegalArgumentException.class, () -> Quantizer.forCohort(10, -1.0, 1.0, 8));
  }

  @Test
  void worstCaseSumOfNClientsDoesNotWrap() {
    int n = 1000;
    Quantizer q = Quantizer.forCohort(n, 0.5, 100.0, 12);
    int[] sumMax = new int[2];
    int[] sumMin = new int[2];
    for (int u = 0; u < n; u++) {
      q.addModular(sumMax, q.quantizeWeighted(new float[] {5f}, 100.0, RANDOM));
      q.addModular(sumMin, q.quantizeWeighted(new float[] {-5f}, 100.0, RANDOM));
    }
    long levels = (1L << 11) - 1;
    assertEquals(n * levels, q.decode(sumMax[0]));
    assertEquals(-n * levels, q.decode(sumMin[0]));
    assertEquals(n * levels, q.decode(sumMax[1]));
    assertEquals(100.0 * n, q.totalWeight(sumMax), 1e-6);
  }

  @Test
  void weightedMeanWithinTheDocumentedBound() {
    for (int trial = 0; trial < 5; trial++) {
      int n = 3 + RANDOM.nextInt(300);
      int len = 1 + RANDOM.nextInt(200);
      int p = 8 + RANDOM.nextInt(10);
      double r = 0.05 + RANDOM.nextDouble();
      Quantizer q = Quantizer.forCohort(n, r, 500.0, p);
      int[] sum = new int[len + 1];
      double[] num = new double[len];
      double den = 0;
      for (int u = 0; u < n; u++) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
          x[i] = (float) (RANDOM.nextGaussian() * r);
        }
        double w = 1 + RANDOM.nextInt(500);
        q.addModular(sum, q.quantizeWeighted(x, w, RANDOM));
        for (int i = 0; i < len; i++) {
          num[i] += w * Math.max(-r, Math.min(r, x[i]));
        }
        den += w;
      }
      double[] mean = q.weightedMean(sum);
      double bound = q.errorBound(sum, n);
      assertTrue(bound < 2 * r, "bound " + bound + " useless for p=" + p);
      for (int i = 0; i < len; i++) {
        double exact = num[i] / den;
        assertTrue(Math.abs(mean[i] - exact) <= bound,
            "coordinate " + i + ": |" + mean[i] + " - " + exact + "| > " + bound);
      }
      assertEquals(den, q.totalWeight(sum), n * 500.0 / ((1L << (p - 1)) - 1) + 1e-9);
    }
  }

  @Test
  void stochasticRoundingIsUnbiased() {
    Quantizer q = Quantizer.forCohort(1, 1.0, 1.0, 4); // L = 7 levels: 0.3 -> 2.1 levels
    long total = 0;
    int trials = 20000;
    for (int i = 0; i < trials; i++) {
      total += q.decode(q.quantizeWeighted(new float[] {0.3f}, 1.0, RANDOM)[0]);
    }
    assertEquals(2.1, total / (double) trials, 0.03);
  }

  @Test
  void rejectsNaNAndNegativeWeights() {
    Quantizer q = Quantizer.forCohort(10, 1.0, 1.0, 8);
    assertThrows(IllegalArgumentException.class, () -> q.quantizeWeighted(new float[] {Float.NaN}, 1, RANDOM));
    assertThrows(IllegalArgumentException.class, () -> q.quantizeWeighted(new float[] {0}, -1, RANDOM));
  }
}
