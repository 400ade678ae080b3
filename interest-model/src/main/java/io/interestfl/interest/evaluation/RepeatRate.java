package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How often the items of a customer's next step were already in their history: over every step but the first, the
 * distinct items of the step ({@code trials}) and those seen before ({@code repeats}). Two counts, so a federation
 * can sum them across clients (in the clear or through secure aggregation) to get the population rate.
 *
 * @param repeats distinct items of a later step already seen by that customer
 * @param trials  distinct items of the later steps
 */
public record RepeatRate(long repeats, long trials) {
  public RepeatRate {
    if (repeats < 0 || trials < repeats) {
      throw new IllegalArgumentException("need 0 <= repeats <= trials, got " + repeats + " of " + trials);
    }
  }

  /** No observation. */
  public static final RepeatRate NONE = new RepeatRate(0, 0);

  /** The counts over every customer's baskets. */
  public static RepeatRate of(List<CustomerHistory> customers) {
    long[] counts = new long[2];
    for (CustomerHistory c : customers) {
      Set<Integer> seen = new HashSet<>();
      for (Basket b : c.baskets()) {
        Set<Integer> step = new HashSet<>();
        for (int j = 0; j < b.size(); j++) {
          add(step, b.item(j));
        }
        step(step, seen, counts);
      }
    }
    return new RepeatRate(counts[0], counts[1]);
  }

  /**
   * The counts of one history given as items with their step times: consecutive items with the same time are one
   * step; with {@code times} null (or an entry {@link Long#MIN_VALUE}) every item is its own step.
   */
  public static RepeatRate ofItems(int[] items, long[] times) {
    long[] counts = new long[2];
    Set<Integer> seen = new HashSet<>();
    int i = 0;
    while (i < items.length) {
      int end = i + 1;
      if (times != null && times[i] != Long.MIN_VALUE) {
        while (end < items.length && times[end] == times[i]) {
          end++;
        }
      }
      Set<Integer> step = new HashSet<>();
      for (int k = i; k < end; k++) {
        add(step, items[k]);
      }
      step(step, seen, counts);
      i = end;
    }
    return new RepeatRate(counts[0], counts[1]);
  }

  private static void add(Set<Integer> step, int id) {
    if (id >= ItemCatalogue.RESERVED) {
      step.add(id);
    }
  }

  /** Counts a step's items once something was seen (the first step has nothing to repeat), then remembers them. */
  private static void step(Set<Integer> step, Set<Integer> seen, long[] counts) {
    if (!seen.isEmpty()) {
      for (int id : step) {
        counts[1]++;
        if (seen.contains(id)) {
          counts[0]++;
        }
      }
    }
    seen.addAll(step);
  }

  public RepeatRate plus(RepeatRate other) {
    return new RepeatRate(repeats + other.repeats, trials + other.trials);
  }

  /** The share of repeats; {@code fallback} with no trial. */
  public double rate(double fallback) {
    return trials == 0 ? fallback : (double) repeats / trials;
  }
}
