package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Item-to-item transitions released under customer-level DP, over the head of the catalogue: the
 * {@code headSize} most frequent items of the (already private) item histogram. Every customer counts at most
 * {@code pairsPerCustomer} distinct (i in a basket -> j in the next basket) pairs once each, most recent first
 * ({@link #customerPairs}), so one customer changes the head x head count matrix by at most sqrt(k) in L2; every
 * merchant adds its noise share and the secure sum is released once (the privacy module's
 * {@code ItemHistogramRelease} with k pairs is the same mechanism).
 *
 * <p>Scoring ({@link #scorer}): an entry counts only above {@code 2 sigma} (the released noise stddev), and
 * {@code w(i, j) = max(0, n(i, j) - 2 sigma) / (max(count(i), 10) k / 4)}; the score of j for a case is the
 * sum of w(i, j) over the items i of the last basket, plus {@code 0.01 * count(j) / max count} so that popularity
 * orders what no transition reaches. Measured on Online Retail (docs/benchmarks.md), not tuned elsewhere yet.
 */
public final class PrivateTransitions {
  private final int[] head;          // head position -> item id
  private final int[] position;      // item id -> head position, -1 outside the head
  private final int catalogueSize;

  /** The head of {@code counts} (noisy item frequencies; padding and OOV excluded). */
  public PrivateTransitions(double[] counts, int headSize) {
    this.catalogueSize = counts.length;
    int m = Math.min(headSize, Math.max(0, counts.length - 2));
    Integer[] order = new Integer[counts.length - 2];
    for (int i = 0; i < order.length; i++) {
      order[i] = i + 2;
    }
    // most frequent first, ties by item id
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> counts[i]).reversed().thenComparingInt(i -> i));
    head = new int[m];
    position = new int[counts.length];
    Arrays.fill(position, -1);
    for (int i = 0; i < m; i++) {
      head[i] = order[i];
      position[order[i]] = i;
    }
  }

  public int headSize() {
    return head.length;
  }

  /**
   * The customers' capped pair counts, row-major head x head ({@code [i * m + j]}), before noise.
   */
  public double[] customerPairs(List<CustomerHistory> customers, int pairsPerCustomer) {
    int m = head.length;
    double[] out = new double[m * m];
    for (CustomerHistory customer : customers) {
      LinkedHashSet<Integer> pairs = new LinkedHashSet<>();
      List<Basket> baskets = customer.baskets();
      for (int t = baskets.size() - 1; t >= 1 && pairs.size() < pairsPerCustomer; t--) {
        int[] prev = baskets.get(t - 1).itemIds();
        int[] next = baskets.get(t).itemIds();
        for (int x : prev) {
          int px = x >= 0 && x < catalogueSize ? position[x] : -1;
          if (px < 0) {
            continue;
          }
          for (int y : next) {
            int py = y >= 0 && y < catalogueSize ? position[y] : -1;
            if (py >= 0 && pairs.size() < pairsPerCustomer) {
              pairs.add(px * m + py);
            }
          }
        }
      }
      for (int p : pairs) {
        out[p] += 1;
      }
    }
    return out;
  }

  /** The scorer of the released (noisy) pair counts; {@code noiseStddev} is the released noise's stddev. */
  public CaseScorer scorer(double[] releasedPairs, double noiseStddev, int pairsPerCustomer, double[] counts) {
    int m = head.length;
    if (releasedPairs.length != m * m) {
      throw new IllegalArgumentException("released pairs have length " + releasedPairs.length + ", the head " + m
          + " x " + m);
    }
    float[][] w = new float[m][m];
    double tau = 2 * noiseStddev;
    for (int i = 0; i < m; i++) {
      double den = Math.max(counts[head[i]], 10) * pairsPerCustomer / 4.0;
      for (int j = 0; j < m; j++) {
        w[i][j] = (float) (Math.max(0, releasedPairs[i * m + j] - tau) / den);
      }
    }
    double max = 0;
    for (int i = 2; i < counts.length; i++) {
      max = Math.max(max, counts[i]);
    }
    float[] fallback = new float[counts.length];
    for (int i = 2; i < counts.length; i++) {
      fallback[i] = max == 0 ? 0 : (float) (0.01 * Math.max(0, counts[i]) / max);
    }
    return cases -> score(cases, w, fallback);
  }

  private float[][] score(List<HeldOutBasket> cases, float[][] w, float[] fallback) {
    float[][] out = new float[cases.size()][];
    for (int u = 0; u < out.length; u++) {
      float[] s = fallback.clone();
      for (int i : cases.get(u).lastBasket()) {
        int p = i >= 0 && i < catalogueSize ? position[i] : -1;
        if (p < 0) {
          continue;
        }
        float[] row = w[p];
        for (int j = 0; j < row.length; j++) {
          s[head[j]] += row[j];
        }
      }
      out[u] = s;
    }
    return out;
  }
}
