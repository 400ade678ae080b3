package io.interestfl.simulations.federation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Which virtual clients train in a round. */
public final class Cohorts {
  private Cohorts() {}

  /**
   * Indices of round {@code round}'s cohort among {@code clients}: all of them when {@code cohort} is 0 or at least
   * {@code clients}, else {@code cohort} drawn uniformly without replacement, seeded by {@code seed} and the round
   * (the same cohort whichever executor runs it).
   */
  public static List<Integer> draw(int clients, int cohort, long seed, int round) {
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      pool.add(i);
    }
    if (cohort == 0 || cohort >= clients) {
      return pool;
    }
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round);
    for (int i = 0; i < cohort; i++) {   // partial Fisher-Yates: the first n are a uniform sample
      Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
    }
    return List.copyOf(pool.subList(0, cohort));
  }
}
