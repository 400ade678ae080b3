package io.interestfl.secagg.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HararyGraphTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static int[] ids(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = 10 + 2 * i;
    }
    return out;
  }

  private static byte[] seed() {
    byte[] s = new byte[32];
    RANDOM.nextBytes(s);
    return s;
  }

  @Test
  void regularSymmetricAndDeterministic() {
    int[] cohort = ids(101);
    byte[] seed = seed();
    HararyGraph g = new HararyGraph(cohort, 10, seed);
    HararyGraph again = new HararyGraph(cohort, 10, seed.clone());
    for (int u : cohort) {
      int[] nb = g.neighbours(u);
      assertEquals(10, nb.length);
      assertEquals(10, Arrays.stream(nb).distinct().count());
      assertArrayEquals(nb, again.neighbours(u));
      for (int v : nb) {
        assertTrue(g.adjacent(u, v));
        assertTrue(Arrays.stream(g.neighbours(v)).anyMatch(x -> x == u));
      }
      assertFalse(g.adjacent(u, u));
    }
  }

  @Test
  void seedChangesThePermutation() {
    int[] cohort = ids(50);
    HararyGraph a = new HararyGraph(cohort, 4, seed());
    HararyGraph b = new HararyGraph(cohort, 4, seed());
    int differ = 0;
    for (int u : cohort) {
      if (!Arrays.equals(a.neighbours(u), b.neighbours(u))) {
        differ++;
      }
    }
    assertTrue(differ > 25, "only " + differ + " neighbourhoods differ");
  }

  @Test
  void completeGraphWhenDegreeIsNMinusOne() {
    int[] cohort = ids(6);
    HararyGraph g = new HararyGraph(cohort, 5, seed());
    for (int u : cohort) {
      assertEquals(5, g.neighbours(u).length);
    }
    HararyGraph three = new HararyGraph(ids(3), 2, seed());
    assertEquals(2, three.neighbours(10).length);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new HararyGraph(ids(10), 3, seed()));
    assertThrows(IllegalArgumentException.class, () -> new HararyGraph(new int[] {1, 1, 2}, 2, seed()));
    assertThrows(IllegalArgumentException.class, () -> new HararyGraph(ids(10), 4, seed()).neighbours(11));
  }
}
