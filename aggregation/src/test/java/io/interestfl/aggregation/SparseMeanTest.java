package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SparseMeanTest {
  @Test
  void eachCoordinateIsAveragedOverTheClientsThatChangedIt() {
    AggregationPipeline p = AggregationPipeline.sparseMean(Weighting.EXAMPLES, new FedAvg(1.0));
    Aggregator round = p.open(3, 2);
    round.accept(new float[] {1f, 0f, 2f}, 1);   // never saw item 1
    round.accept(new float[] {3f, 4f, 0f}, 3);   // never saw item 2
    assertEquals(2, round.count());
    // coordinate 0: (1 x 1 + 3 x 3) / 4; 1: only the second client; 2: only the first
    assertArrayEquals(new float[] {2.5f, 4f, 2f}, round.release());
  }

  @Test
  void onDenseUpdatesItIsTheWeightedMean() {
    Aggregator sparse = AggregationPipeline.sparseMean(Weighting.SQRT, new FedAvg(1.0)).open(2, 2);
    Aggregator dense = AggregationPipeline.mean(Weighting.SQRT, new FedAvg(1.0)).open(2, 2);
    for (Aggregator a : new Aggregator[] {sparse, dense}) {
      a.accept(new float[] {1f, -2f}, 4);
      a.accept(new float[] {0.5f, 3f}, 9);
    }
    assertArrayEquals(dense.release(), sparse.release());
  }

  @Test
  void aCoordinateNobodyChangedStaysAndBadInputIsRefused() {
    Aggregator round = AggregationPipeline.sparseMean(Weighting.UNIFORM, new FedAvg(1.0)).open(2, 1);
    assertThrows(IllegalStateException.class, round::release);
    round.accept(new float[] {0f, 1f}, 1);
    assertArrayEquals(new float[] {0f, 1f}, round.release());
    assertThrows(IllegalArgumentException.class, () -> round.accept(new float[3], 1));
  }
}
