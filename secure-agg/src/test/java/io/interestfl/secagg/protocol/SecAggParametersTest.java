package io.interestfl.secagg.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecAggParametersTest {
  @Test
  void documentedTable() {
    // The rows of docs/secure-aggregation.md (malicious-server rule).
    assertEquals(new SecAggParameters(3, 2, 2), SecAggParameters.choose(3, 0.0, 0.0));
    assertEquals(new SecAggParameters(3, 2, 2), SecAggParameters.choose(3, 0.1, 0.05));
    assertEquals(new SecAggParameters(10, 9, 6), SecAggParameters.choose(10, 0.1, 0.05));
    assertEquals(new SecAggParameters(100, 80, 54), SecAggParameters.choose(100, 0.1, 0.05));
    assertEquals(new SecAggParameters(1000, 20, 18), SecAggParameters.choose(1000, 0.0, 0.05));
    assertEquals(new SecAggParameters(1000, 88, 59), SecAggParameters.choose(1000, 0.1, 0.05));
    assertEquals(new SecAggParameters(1000, 72, 26),
        SecAggParameters.choose(1000, 0.3, 0.05, SecAggParameters.ThreatModel.HONEST_BUT_CURIOUS));
  }

  @Test
  void chosenParametersSatisfyTheirOwnRules() {
    for (int n : new int[] {3, 7, 20, 64, 150, 500, 1000, 5000}) {
      for (double d : new double[] {0, 0.05, 0.1, 0.2, 0.3}) {
        for (double c : new double[] {0, 0.05, 0.1}) {
          SecAggParameters p = SecAggParameters.choose(n, d, c);
          assertTrue(p.threshold() >= 2 && p.threshold() <= p.degree() + 1, p.toString());
          assertTrue(p.degree() == n - 1 || p.degree() % 2 == 0, p.toString());
          if (!p.isComplete()) {
            assertTrue(2 * p.threshold() > p.degree() + 1, "malicious rule violated: " + p);
          }
        }
      }
    }
  }

  @Test
  void validationNamesTheBadValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecAggParameters(10, 5, 3));
    assertTrue(e.getMessage().contains("5"));
    assertThrows(IllegalArgumentException.class, () -> new SecAggParameters(10, 4, 6));
    assertThrows(IllegalArgumentException.class, () -> new SecAggParameters(2, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> SecAggParameters.choose(100, 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> SecAggParameters.choose(100, 0.1, 0.5));
  }
}
