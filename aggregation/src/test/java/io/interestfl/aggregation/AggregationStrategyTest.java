package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AggregationStrategyTest {
  @Test
  void weightedMeanIsExactAndIndependentOfArrivalOrder() {
    WeightedMeanAccumulator forward = new WeightedMeanAccumulator(2);
    forward.accept(new float[] {1f, -2f}, 1);
    forward.accept(new float[] {4f, 2f}, 3);
    WeightedMeanAccumulator backward = new WeightedMeanAccumulator(2);
    backward.accept(new float[] {4f, 2f}, 3);
    backward.accept(new float[] {1f, -2f}, 1);
    assertArrayEquals(new float[] {3.25f, 1f}, forward.mean());
    assertArrayEquals(forward.mean(), backward.mean());
    assertEquals(4.0, forward.totalWeight());
    assertThrows(IllegalArgumentException.class, () -> forward.accept(new float[3], 1));
    assertThrows(IllegalArgumentException.class, () -> forward.accept(new float[2], 0));
    assertThrows(IllegalStateException.class, () -> new WeightedMeanAccumulator(2).mean());
  }

  @Test
  void fedAvgAddsTheMeanDeltaScaledByTheServerRate() {
    assertArrayEquals(new float[] {1.5f, 0f}, new FedAvg(1.0).apply(new float[] {1f, 1f}, new float[] {0.5f, -1f}));
    assertArrayEquals(new float[] {1.25f, 0.5f}, new FedAvg(0.5).apply(new float[] {1f, 1f}, new float[] {0.5f, -1f}));
  }

  @Test
  void fedAdamMatchesReddiEtAlByHand() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.99;
    double tau = 1e-3;
    FedAdam adam = new FedAdam(lr, b1, b2, tau);
    float[] x = adam.apply(new float[] {0f}, new float[] {0.5f});
    double m = (1 - b1) * 0.5;
    double v = b2 * tau * tau + (1 - b2) * 0.25;
    assertEquals(lr * m / (Math.sqrt(v) + tau), x[0], 1e-6);
    float[] x2 = adam.apply(x, new float[] {-0.5f});
    double m2 = b1 * m + (1 - b1) * -0.5;
    double v2 = b2 * v + (1 - b2) * 0.25;
    assertEquals(x[0] + lr * m2 / (Math.sqrt(v2) + tau), x2[0], 1e-6);
  }

  @Test
  void fedYogiGrowsTheSecondMomentAdditively() {
    FedYogi yogi = new FedYogi(0.1, 0.9, 0.99, 1e-3);
    yogi.apply(new float[] {0f}, new float[] {0.5f});
    float[][] state = yogi.state();
    double v = 1e-6 - (1 - 0.99) * 0.25 * Math.signum(1e-6 - 0.25);
    assertEquals(v, state[1][0], 1e-9);
  }

  @Test
  void optimizerStateRoundTripsForCheckpoints() {
    FedAdam a = new FedAdam(0.1, 0.9, 0.99, 1e-3);
    a.apply(new float[] {0f, 1f}, new float[] {0.5f, 0.1f});
    FedAdam b = new FedAdam(0.1, 0.9, 0.99, 1e-3);
    b.restore(a.state());
    assertArrayEquals(a.apply(new float[] {1f, 1f}, new float[] {0.2f, 0.2f}),
        b.apply(new float[] {1f, 1f}, new float[] {0.2f, 0.2f}));
  }

  @Test
  void constructorsNameTheBadValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FedAdam(0.1, 1.5, 0.99, 1e-3));
    assertTrue(e.getMessage().contains("beta1") && e.getMessage().contains("1.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FedAvg(0));
  }
}
