package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CoordinateTrimmedMeanTest {
  @Test
  void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleValuesPerCoordinate() {
    Aggregator odd = AggregationPipeline.median(new FedAvg(1.0)).open(2, 3);
    odd.accept(new float[] {3f, -1f}, 1);
    odd.accept(new float[] {1f, 7f}, 1_000_000);   // the weight changes nothing
    odd.accept(new float[] {2f, 5f}, 1);
    assertArrayEquals(new float[] {2f, 5f}, odd.release());

    Aggregator even = AggregationPipeline.median(new FedAvg(1.0)).open(1, 4);
    for (float v : new float[] {4f, 1f, 10f, 2f}) {
      even.accept(new float[] {v}, 1);
    }
    assertArrayEquals(new float[] {3f}, even.release());
  }

  @Test
  void theTrimmedMeanDropsTheExtremesAtEachEndAndAveragesTheRest() {
    Aggregator round = AggregationPipeline.trimmedMean(0.2, new FedAvg(1.0)).open(1, 10);
    for (int v = 1; v <= 9; v++) {
      round.accept(new float[] {v}, 1);
    }
    round.accept(new float[] {1e9f}, 1);
    // floor(0.2 x 10) = 2 at each end: 1, 2 and 9, 1e9 go; mean of 3..8
    assertArrayEquals(new float[] {5.5f}, round.release());
    Aggregator none = AggregationPipeline.trimmedMean(0.0, new FedAvg(1.0)).open(1, 2);
    none.accept(new float[] {1f}, 1);
    none.accept(new float[] {2f}, 100);
    assertArrayEquals(new float[] {1.5f}, none.release(), "trim 0 is the unweighted mean");
  }

  @Test
  void aMinorityOfPoisonersCannotMoveACoordinateOutsideTheHonestRange() {
    SplittableRandom random = new SplittableRandom(3);
    int length = 1_000;
    for (AggregationPipeline p : new AggregationPipeline[] {AggregationPipeline.median(new FedAvg(1.0)),
        AggregationPipeline.trimmedMean(0.3, new FedAvg(1.0))}) {
      Aggregator round = p.open(length, 10);
      float[] lo = new float[length];
      float[] hi = new float[length];
      java.util.Arrays.fill(lo, Float.MAX_VALUE);
      java.util.Arrays.fill(hi, -Float.MAX_VALUE);
      for (int c = 0; c < 7; c++) {
        float[] honest = new float[length];
        for (int i = 0; i < length; i++) {
          honest[i] = (float) random.nextGaussian() * 0.01f;
          lo[i] = Math.min(lo[i], honest[i]);
          hi[i] = Math.max(hi[i], honest[i]);
        }
        round.accept(honest, 100);
      }
      for (int c = 0; c < 3; c++) {
        float[] poison = new float[length];
        java.util.Arrays.fill(poison, c == 0 ? -1e6f : 1e6f);
        round.accept(poison, 1_000_000);
      }
      float[] aggregate = round.release();
      for (int i = 0; i < length; i++) {
        assertTrue(aggregate[i] >= lo[i] && aggregate[i] <= hi[i], "coordinate " + i + ": " + aggregate[i]);
      }
    }
  }

  @Test
  void badInputIsRefused() {
    Aggregator round = AggregationPipeline.median(new FedAvg(1.0)).open(2, 2);
    assertThrows(IllegalArgumentException.class, () -> round.accept(new float[] {1f}, 1));
    assertThrows(IllegalArgumentException.class, () -> round.accept(new float[] {Float.NaN, 1f}, 1));
    assertEquals(0, round.count());
    assertThrows(IllegalStateException.class, round::release);
    assertThrows(IllegalArgumentException.class, () -> AggregationPipeline.trimmedMean(0.5, new FedAvg(1.0)));
  }
}
