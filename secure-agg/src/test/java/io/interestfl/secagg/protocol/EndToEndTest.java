package io.interestfl.secagg.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.protocol.Harness.Drop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EndToEndTest {

  private static void assertCorrect(Harness h, Map<Integer, Drop> drops) {
    int[] sum = h.run(drops);
    int[] survivors = h.server.survivors();
    assertEquals(h.expectedSurvivors(drops), java.util.Arrays.stream(survivors).boxed().toList());
    assertArrayEquals(h.expectedSum(survivors), sum);
  }

  @Test
  void threeClientsThresholdTwoNoDropout() {
    Harness h = new Harness(SecAggParameters.complete(3, 2), 50, 32);
    assertCorrect(h, Map.of());
  }

  @ParameterizedTest
  @EnumSource(Drop.class)
  void threeClientsThresholdTwoOneDropoutAtEveryPhase(Drop phase) {
    Harness h = new Harness(SecAggParameters.complete(3, 2), 33, 20);
    assertCorrect(h, Map.of(h.cohort[1], phase));
  }

  @ParameterizedTest
  @EnumSource(Drop.class)
  void sparseGraphDropoutsAtEveryPhase(Drop phase) {
    SecAggParameters p = SecAggParameters.choose(40, 0.1, 0.0);
    assertTrue(!p.isComplete(), "expected a sparse graph, got " + p);
    Harness h = new Harness(p, 100, 24);
    Map<Integer, Drop> drops = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      drops.put(h.cohort[i * 9 + 2], phase);
    }
    assertCorrect(h, drops);
  }

  @Test
  void dropoutsSpreadOverAllPhasesAtOnce() {
    SecAggParameters p = SecAggParameters.choose(56, 0.1, 0.0);
    Harness h = new Harness(p, 64, 32);
    Map<Integer, Drop> drops = new HashMap<>();
    Drop[] phases = Drop.values();
    for (int i = 0; i < phases.length; i++) {
      drops.put(h.cohort[11 * i + 3], phases[i]);
    }
    assertCorrect(h, drops);
  }

  @Test
  void plainSecAggCompleteGraph() {
    Harness h = new Harness(SecAggParameters.complete(12, 7), 40, 16);
    assertCorrect(h, Map.of(h.cohort[0], Drop.MASK, h.cohort[5], Drop.SHARE, h.cohort[7], Drop.UNMASK));
  }

  @Test
  void randomCohortsAndLengths() {
    for (int trial = 0; trial < 6; trial++) {
      // n = 200 is covered by largeCohortShortVectors
      int n = trial < 5 ? 3 + Harness.RANDOM.nextInt(28) : 60 + Harness.RANDOM.nextInt(61);
      int length = 1 + Harness.RANDOM.nextInt(n > 60 ? 5 : 300);
      int bits = 1 + Harness.RANDOM.nextInt(32);
      SecAggParameters p = SecAggParameters.choose(n, 0.1, 0.0);
      Harness h = new Harness(p, length, bits);
      Map<Integer, Drop> drops = new HashMap<>();
      int maxDrops = Math.max(0, Math.min(n / 20, (p.degree() + 1 - p.threshold()) / 2));
      int dropCount = Harness.RANDOM.nextInt(maxDrops + 1);
      Drop[] phases = Drop.values();
      for (int i = 0; i < dropCount; i++) {
        drops.put(h.cohort[Harness.RANDOM.nextInt(n)], phases[Harness.RANDOM.nextInt(phases.length)]);
      }
      assertCorrect(h, drops);
    }
  }

  @Test
  void largeCohortShortVectors() {
    SecAggParameters p = SecAggParameters.choose(200, 0.1, 0.0);
    Harness h = new Harness(p, 8, 32);
    Map<Integer, Drop> drops = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      drops.put(h.cohort[i * 19], Drop.values()[i % 5]);
    }
    assertCorrect(h, drops);
  }

  @Test
  void tooManyDropoutsAbortNamingTheClient() {
    Harness h = new Harness(SecAggParameters.complete(5, 4), 10, 32);
    // Two clients vanish after sending masked inputs: survivors' self-mask seeds have only 3 holders.
    Map<Integer, Drop> drops = Map.of(h.cohort[0], Drop.UNMASK, h.cohort[1], Drop.UNMASK);
    UnrecoverableSecretException e = assertThrows(UnrecoverableSecretException.class, () -> h.run(drops));
    assertTrue(List.of(h.cohort[0], h.cohort[1], h.cohort[2], h.cohort[3], h.cohort[4]).contains(e.clientId()));
    assertTrue(e.getMessage().contains("client " + e.clientId()), e.getMessage());
    assertEquals(SecAggServer.Phase.ABORTED, h.server.phase());
  }

  @Test
  void tooFewClientsAbortEarly() {
    Harness h = new Harness(SecAggParameters.complete(4, 3), 10, 32);
    Map<Integer, Drop> drops = Map.of(h.cohort[0], Drop.SHARE, h.cohort[1], Drop.SHARE);
    assertThrows(TooFewSurvivorsException.class, () -> h.run(drops));
    assertEquals(SecAggServer.Phase.ABORTED, h.server.phase());
  }
}
