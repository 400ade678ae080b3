package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FedAvgMTest {
  @Test
  void velocityAccumulatesTheMeanDeltasByHand() {
    FedAvgM m = new FedAvgM(1.0, 0.5);
    float[] x = m.apply(new float[] {0f, 1f}, new float[] {1f, -1f});   // v = d
    assertArrayEquals(new float[] {1f, 0f}, x);
    x = m.apply(x, new float[] {1f, -1f});                             // v = 0.5 v + d = 1.5 d
    assertArrayEquals(new float[] {2.5f, -1.5f}, x);
    x = m.apply(x, new float[] {0f, 0f});                              // v = 0.75 d: momentum carries on
    assertArrayEquals(new float[] {3.25f, -2.25f}, x);
  }

  @Test
  void zeroMomentumIsFedAvg() {
    float[] g = {0.25f, -3f};
    float[] d = {0.5f, 2f};
    assertArrayEquals(new FedAvg(0.7).apply(g, d), new FedAvgM(0.7, 0).apply(g, d));
  }

  @Test
  void stateSurvivesACheckpoint() {
    FedAvgM a = new FedAvgM(1.0, 0.9);
    a.apply(new float[] {0f}, new float[] {1f});
    FedAvgM b = new FedAvgM(1.0, 0.9);
    b.restore(a.state());
    assertArrayEquals(a.apply(new float[] {1f}, new float[] {1f}), b.apply(new float[] {1f}, new float[] {1f}));
    assertEquals(0, new FedAvgM(1, 0.9).state().length);
    assertThrows(IllegalArgumentException.class, () -> b.restore(new float[2][1]));
  }

  @Test
  void badHyperParametersAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FedAvgM(1, 1));
    assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FedAvgM(0, 0.5));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ServerOptimizers.create("fedprox", 1, 0.9, 0.99, 1e-3));
    assertTrue(unknown.getMessage().contains("fedavgm") && unknown.getMessage().contains("'fedprox'"),
        unknown.getMessage());
    assertEquals("fedavgm", ServerOptimizers.create(" FedAvgM ", 1, 0.9, 0.99, 1e-3).name());
  }
}
