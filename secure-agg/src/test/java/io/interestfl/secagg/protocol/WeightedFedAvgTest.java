package io.interestfl.secagg.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.quantization.Quantizer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quantize → SecAgg+ with dropouts → dequantize equals float weighted FedAvg within the bound. */
class WeightedFedAvgTest {
  @Test
  void dequantizedWeightedMeanMatchesFloatWeightedMean() {
    int n = 30;
    int dim = 200;
    double clip = 0.5;
    Quantizer q = Quantizer.forCohort(n, clip, 10_000, 16);
    SecAggParameters p = SecAggParameters.choose(n, 0.1, 0.0);
    Harness h = new Harness(p, Quantizer.encodedLength(dim), q.bitWidth());
    Map<Integer, float[]> updates = new HashMap<>();
    Map<Integer, Double> weights = new HashMap<>();
    for (int id : h.cohort) {
      float[] x = new float[dim];
      for (int i = 0; i < dim; i++) {
        x[i] = (float) (Harness.RANDOM.nextGaussian() * 0.3); // some coordinates get clipped
      }
      double w = 1 + Harness.RANDOM.nextInt(5000);
      updates.put(id, x);
      weights.put(id, w);
      h.inputs.put(id, q.quantizeWeighted(x, w, Harness.RANDOM));
    }
    Map<Integer, Harness.Drop> drops = Map.of(h.cohort[3], Harness.Drop.MASK, h.cohort[17], Harness.Drop.UNMASK);
    int[] sum = h.run(drops);
    int[] survivors = h.server.survivors();
    assertEquals(n - 1, survivors.length);

    double[] mean = q.weightedMean(sum);
    double bound = q.errorBound(sum, survivors.length);
    double den = 0;
    double[] num = new double[dim];
    for (int id : survivors) {
      double w = weights.get(id);
      den += w;
      for (int i = 0; i < dim; i++) {
        num[i] += w * Math.max(-clip, Math.min(clip, updates.get(id)[i]));
      }
    }
    assertEquals(den, q.totalWeight(sum), survivors.length * 10_000.0 / ((1 << 15) - 1));
    double worst = 0;
    for (int i = 0; i < dim; i++) {
      worst = Math.max(worst, Math.abs(mean[i] - num[i] / den));
    }
    assertTrue(worst <= bound, "error " + worst + " exceeds documented bound " + bound);
    assertTrue(bound < 1e-2, "bound " + bound);
  }
}
