package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.privacy.clipping.L2Clipper;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregationPipelineTest {
  private static final int LENGTH = 257;
  private static final long[] EXAMPLES = {17, 3, 250, 1};

  private static float[][] updates(long seed, double scale) {
    Random random = new Random(seed);
    float[][] updates = new float[EXAMPLES.length][LENGTH];
    for (float[] update : updates) {
      for (int i = 0; i < LENGTH; i++) {
        update[i] = (float) (random.nextGaussian() * scale);
      }
    }
    return updates;
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  /** The coordinator's path before the pipeline: example-weighted accumulator, then the strategy. */
  private static float[] handWritten(float[] global, float[][] updates, AggregationStrategy strategy) {
    WeightedMeanAccumulator accumulator = new WeightedMeanAccumulator(LENGTH);
    for (int k = 0; k < updates.length; k++) {
      accumulator.accept(updates[k], EXAMPLES[k]);
    }
    return strategy.apply(global, accumulator.mean());
  }

  private static float[] throughPipeline(float[] global, float[][] updates, AggregationPipeline pipeline) {
    Aggregator round = pipeline.open(LENGTH, updates.length);
    for (int k = 0; k < updates.length; k++) {
      round.accept(updates[k].clone(), EXAMPLES[k]);
    }
    assertEquals(updates.length, round.count());
    assertEquals(0, round.clipped());
    return pipeline.step(global, round.release());
  }

  @Test
  void meanPipelineGivesTheBytesOfTheHandWrittenFedAvgFedAdamAndFedYogi() {
    float[] global = updates(1, 1)[0];
    float[][] updates = updates(2, 0.01);
    AggregationStrategy[][] pairs = {
        {new FedAvg(0.7), new FedAvg(0.7)},
        {new FedAdam(0.05, 0.9, 0.99, 1e-3), new FedAdam(0.05, 0.9, 0.99, 1e-3)},
        {new FedYogi(0.05, 0.9, 0.99, 1e-3), new FedYogi(0.05, 0.9, 0.99, 1e-3)}};
    for (AggregationStrategy[] pair : pairs) {
      AggregationPipeline pipeline = AggregationPipeline.mean(Weighting.EXAMPLES, pair[1]);
      float[] expected = global;
      float[] actual = global;
      for (int round = 0; round < 3; round++) {   // the adaptive optimizers' moments carry over
        expected = handWritten(expected, updates, pair[0]);
        actual = throughPipeline(actual, updates, pipeline);
        assertArrayEquals(bits(expected), bits(actual), pair[0].name() + " round " + round);
      }
    }
  }

  @Test
  void modelAverageIsTheSimulatorsWeightedMeanOfModelsForEveryWeighting() {
    float[] global = new float[LENGTH];
    float[][] models = updates(3, 1);
    for (Weighting weighting : Weighting.values()) {
      WeightedMeanAccumulator accumulator = new WeightedMeanAccumulator(LENGTH);
      for (int k = 0; k < models.length; k++) {
        // the simulator's weights before the pipeline
        double w = switch (weighting) {
          case SQRT -> Math.sqrt((int) EXAMPLES[k]);
          case UNIFORM -> 1;
          case EXAMPLES -> (int) EXAMPLES[k];
        };
        accumulator.accept(models[k], w);
      }
      float[] actual = throughPipeline(global, models, AggregationPipeline.mean(weighting, new ModelAverage()));
      assertArrayEquals(bits(accumulator.mean()), bits(actual), weighting.name());
    }
  }

  @Test
  void weightingParsesTheSimulatorsNames() {
    assertEquals(Weighting.SQRT, Weighting.parse("sqrt"));
    assertEquals(Weighting.UNIFORM, Weighting.parse("uniform"));
    assertEquals(Weighting.EXAMPLES, Weighting.parse("examples"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weighting.parse("median"));
    assertEquals("weighting must be examples, sqrt or uniform, got median", e.getMessage());
  }

  @Test
  void centralDpClipsWeighsEquallyAndDividesByTheCohortNotTheArrivals() {
    float[][] updates = updates(4, 1);   // norms about 16: all clipped to 1
    CentralDp dp = CentralDp.fixed(1.0, 1e-9);
    AggregationPipeline pipeline = AggregationPipeline.centralDp(dp, new FedAvg(1.0));
    Aggregator round = pipeline.open(LENGTH, 8);
    double[] expected = new double[LENGTH];
    for (int k = 0; k < updates.length; k++) {
      float[] clipped = updates[k].clone();
      new L2Clipper(1.0).clip(clipped);
      for (int i = 0; i < LENGTH; i++) {
        expected[i] += clipped[i] / 8.0;   // weight 1 each, whatever the examples
      }
      round.accept(updates[k], EXAMPLES[k]);
      assertTrue(L2Clipper.norm(updates[k]) <= 1.0, "clipped in place");
    }
    assertEquals(4, round.clipped());
    float[] mean = round.release();
    for (int i = 0; i < LENGTH; i++) {
      assertEquals(expected[i], mean[i], 1e-6);
    }
    assertEquals(1.0, dp.clipNorm().current(), "a fixed clip norm stays");
    assertEquals(1e-9, dp.noise().updateNoiseMultiplier());
  }

  @Test
  void centralNoiseHasStandardDeviationZTimesC() {
    CentralDp dp = CentralDp.fixed(2.0, 1.5);
    Aggregator round = dp.open(20_000, 1);
    round.accept(new float[20_000], 1);
    float[] noisy = round.release();
    double sumSquares = 0;
    for (float x : noisy) {
      sumSquares += x * x;
    }
    assertEquals(3.0, Math.sqrt(sumSquares / noisy.length), 0.1);
  }

  @Test
  void adaptiveClipNormGrowsAfterARoundInWhichEveryUpdateWasClipped() {
    // (0 unclipped + N(0, 0.7^2)) / 4 stays below the 0.95 target with probability 1 - 3e-8: C grows
    CentralDp dp = CentralDp.adaptive(0.01, 1.0, 0.95, 0.2, 0.7);
    assertTrue(dp.clipNorm().isAdaptive());
    assertTrue(dp.noise().updateNoiseMultiplier() > 1.0, "part of z pays for the count");
    Aggregator round = dp.open(LENGTH, 4);
    for (float[] update : updates(5, 1)) {
      round.accept(update, 1);
    }
    assertEquals(4, round.clipped());
    assertEquals(0.01, dp.clipNorm().current(), "the bound moves only once the round is released");
    round.release();
    assertTrue(dp.clipNorm().current() > 0.01, "clip norm " + dp.clipNorm().current());
  }

  @Test
  void secureQuantizationRoundTripsTheWeightedMeanWithinTheQuantizersBound() {
    SecureQuantization quantization = new SecureQuantization(0.1, 1000, 20);
    AggregationPipeline pipeline = AggregationPipeline.secure(quantization, new FedAvg(1.0));
    assertThrows(IllegalStateException.class, () -> pipeline.open(LENGTH, 4));
    var quantizer = quantization.forCohort(EXAMPLES.length);
    float[][] updates = updates(6, 0.02);
    int[] sum = new int[LENGTH + 1];
    double[] weighted = new double[LENGTH];
    double total = 0;
    for (int k = 0; k < updates.length; k++) {
      quantizer.addModular(sum, quantization.encode(quantizer, updates[k], EXAMPLES[k], false,
          new java.security.SecureRandom()));
      for (int i = 0; i < LENGTH; i++) {
        weighted[i] += EXAMPLES[k] * Math.max(-0.1, Math.min(0.1, updates[k][i]));
      }
      total += EXAMPLES[k];
    }
    float[] mean = SecureQuantization.decode(quantizer, sum);
    double bound = quantizer.errorBound(sum, EXAMPLES.length);
    for (int i = 0; i < LENGTH; i++) {
      assertEquals(weighted[i] / total, mean[i], bound + 1e-7);
    }
  }

  @Test
  void distributedNoiseLeavesTheWeightWordAndCountsEveryClientOnce() {
    SecureQuantization quantization = new SecureQuantization(0.1, 1000, 20);
    var quantizer = quantization.forCohort(2);
    float[] delta = new float[LENGTH];
    java.util.Arrays.fill(delta, 0.05f);
    int[] plain = quantization.encode(quantizer, delta, 7, true, new java.security.SecureRandom());
    int[] noisy = plain.clone();
    new DistributedNoise(100.0).addTo(noisy, quantizer.bitWidth(), new java.security.SecureRandom());
    assertEquals(plain[LENGTH], noisy[LENGTH], "the weight word carries no noise");
    assertEquals(1000, quantizer.totalWeight(plain), 1e-2, "with countOnce every client has maxWeight");
    int changed = 0;
    for (int i = 0; i < LENGTH; i++) {
      changed += plain[i] != noisy[i] ? 1 : 0;
      assertTrue(noisy[i] >= 0 && noisy[i] < (1 << quantizer.bitWidth()), "reduced modulo 2^b");
    }
    assertTrue(changed > LENGTH / 2, changed + " coordinates noised");
  }

  @Test
  void distributedNoiseCalibrationFollowsKairouzEtAl() {
    double clipNorm = 0.5;
    double z = 0.8;
    int m = 3;
    int bits = 16;
    long d = 10_000;
    DistributedNoiseCalibration calibration = new DistributedNoiseCalibration(clipNorm, z, m, bits, d);
    double range = clipNorm * (1 + 4 * z);
    double levels = (1 << (bits - 1)) - 1;
    double sensitivity = clipNorm * levels / range + Math.sqrt(d);
    assertEquals(range, calibration.clipRange());
    assertEquals(z * sensitivity * z * sensitivity / m, calibration.perClientVariance(), 1e-9);
    assertTrue(calibration.rhoPerRound() > 0);
    assertThrows(IllegalArgumentException.class, () -> new DistributedNoiseCalibration(clipNorm, z, 0, bits, d));
    assertNull(AggregationPipeline.mean(Weighting.EXAMPLES, new FedAvg(1)).quantization());
  }
}
