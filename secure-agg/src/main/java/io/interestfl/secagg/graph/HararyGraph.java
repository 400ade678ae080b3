package io.interestfl.secagg.graph;

import io.interestfl.secagg.crypto.ChaCha20MaskGenerator;
import io.interestfl.secagg.crypto.Secret;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The SecAgg+ communication graph (Bell et al. CCS 2020): a Harary graph H(k, n), i.e. the cohort
 * placed on a ring in a pseudorandom order, each client linked to the k/2 clients on either side.
 * The order is a Fisher-Yates shuffle driven by the ChaCha20 keystream of the server-chosen
 * 32-byte graph seed (public, bound into the session id), so every party computes the same graph.
 * {@code k >= n - 1} gives the complete graph, i.e. plain SecAgg (Bonawitz et al. 2017); otherwise
 * k must be even.
 */
public final class HararyGraph {
  private final int[] ring; // ring[position] = client id
  private final Map<Integer, Integer> position = new HashMap<>();
  private final int degree;

  /**
   * @param cohort the distinct positive client ids of the round, in any order
   * @param degree k: even and &lt; n - 1, or &gt;= n - 1 for the complete graph
   * @param seed 32-byte public seed
   */
  public HararyGraph(int[] cohort, int degree, byte[] seed) {
    int n = cohort.length;
    if (n < 2) {
      throw new IllegalArgumentException("cohort needs at least 2 clients, got " + n);
    }
    if (degree < 2) {
      throw new IllegalArgumentException("degree must be >= 2, got " + degree);
    }
    if (degree < n - 1 && degree % 2 != 0) {
      throw new IllegalArgumentException("degree " + degree + " must be even when below n-1 = " + (n - 1));
    }
    this.degree = Math.min(degree, n - 1);
    int[] sorted = cohort.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < n; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("duplicate client id " + sorted[i]);
      }
    }
    this.ring = shuffle(sorted, seed);
    for (int i = 0; i < n; i++) {
      position.put(ring[i], i);
    }
  }

  private static int[] shuffle(int[] ids, byte[] seed) {
    int n = ids.length;
    int[] words = new int[Math.max(64, 2 * n)];
    Secret key = Secret.of(seed);
    new ChaCha20MaskGenerator().accumulate(key, false, words);
    int next = 0;
    int[] out = ids.clone();
    for (int i = n - 1; i > 0; i--) {
      long bound = i + 1L;
      long limit = (1L << 32) - ((1L << 32) % bound); // reject to stay unbiased
      long r;
      do {
        if (next == words.length) {
          int[] more = new int[words.length * 2];
          new ChaCha20MaskGenerator().accumulate(key, false, more);
          words = more;
        }
        r = Integer.toUnsignedLong(words[next++]);
      } while (r >= limit);
      int j = (int) (r % bound);
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** Degree k (n - 1 for the complete graph). */
  public int degree() {
    return degree;
  }

  /** Number of clients. */
  public int size() {
    return ring.length;
  }

  /** True iff {@code id} is in the cohort. */
  public boolean contains(int id) {
    return position.containsKey(id);
  }

  /** The k neighbours of {@code id}, sorted ascending. */
  public int[] neighbours(int id) {
    Integer p = position.get(id);
    if (p == null) {
      throw new IllegalArgumentException("client " + id + " is not in the cohort");
    }
    int n = ring.length;
    int[] out = new int[degree];
    if (degree == n - 1) {
      int k = 0;
      for (int v : ring) {
        if (v != id) {
          out[k++] = v;
        }
      }
    } else {
      int half = degree / 2;
      int k = 0;
      for (int d = 1; d <= half; d++) {
        out[k++] = ring[(p + d) % n];
        out[k++] = ring[(p - d + n) % n];
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** True iff u and v are adjacent. */
  public boolean adjacent(int u, int v) {
    if (u == v || !contains(u) || !contains(v)) {
      return false;
    }
    int n = ring.length;
    if (degree == n - 1) {
      return true;
    }
    int d = Math.abs(position.get(u) - position.get(v));
    d = Math.min(d, n - d);
    return d <= degree / 2;
  }
}
