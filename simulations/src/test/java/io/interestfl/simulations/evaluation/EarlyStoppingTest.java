package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  private static final double[] CURVE = {0.1, 0.3, 0.5, 0.4, 0.5, 0.2, 0.1, 0.9};

  @Test
  void keepsTheBestStepAndStopsAfterPatienceWithoutImprovement() {
    List<Integer> ran = new ArrayList<>();
    EarlyStopping.Outcome out = EarlyStopping.run(8, 3, k -> {
      ran.add(k);
      return new float[] {k};
    }, p -> CURVE[(int) p[0] - 1]);
    assertEquals(3, out.best(), "the tie at step 5 goes to fewer steps");
    assertEquals(0.5, out.bestScore());
    assertEquals(6, out.run());
    assertEquals(List.of(1, 2, 3, 4, 5, 6), ran, "step 8's 0.9 is never reached: patience ran out at 6");
    assertArrayEquals(new float[] {3}, out.params());
  }

  @Test
  void withoutPatienceEveryStepRunsAndTheLastModelIsKept() {
    EarlyStopping.Outcome out = EarlyStopping.run(8, 0, k -> new float[] {k}, p -> {
      throw new AssertionError("no validation without patience");
    });
    assertEquals(8, out.best());
    assertEquals(8, out.run());
    assertArrayEquals(new float[] {8}, out.params());
  }

  @Test
  void stopsAtMax() {
    EarlyStopping.Outcome out = EarlyStopping.run(4, 10, k -> new float[] {k}, p -> p[0]);
    assertEquals(4, out.best());
    assertEquals(4, out.run());
    assertThrows(IllegalArgumentException.class, () -> EarlyStopping.run(0, 1, k -> new float[0], p -> 0));
    assertThrows(IllegalArgumentException.class, () -> EarlyStopping.run(1, -1, k -> new float[0], p -> 0));
  }
}
