package io.interestfl.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Last stage of a plaintext round that must survive authenticated bad participants: every coordinate is the mean of
 * the cohort's values at that coordinate after dropping the {@code trim} largest and the {@code trim} smallest
 * (Yin, Chen, Ramchandran and Bartlett, ICML 2018, "Byzantine-robust distributed learning"). With
 * {@code trim = floor((n - 1) / 2)} it is the coordinate-wise median. A minority of fewer than {@code trim + 1}
 * clients can move a coordinate no further than the range of the honest clients' values there, however large
 * their own values are or however many examples they declare.
 *
 * <p>The values are not weighted by example counts (a weight is exactly what a bad participant would inflate);
 * the updates are kept until the round ends, so memory is O(cohort x model), not O(model) as in
 * {@link WeightedMean}. It needs each update in the clear: not for secure aggregation, and not with DP noise added
 * to a sum (its sensitivity analysis assumes a sum).
 */
final class CoordinateTrimmedMean implements Aggregator {
  /** How many values to drop at each end of a coordinate, given how many clients there are. */
  interface Trim {
    int of(int count);
  }

  private final int length;
  private final Trim trim;
  private final List<float[]> updates = new ArrayList<>();

  CoordinateTrimmedMean(int length, Trim trim) {
    if (length <= 0) {
      throw new IllegalArgumentException("model length must be > 0, got " + length);
    }
    this.length = length;
    this.trim = trim;
  }

  /** Trimmed mean dropping {@code floor(fraction * n)} values at each end; fraction in [0, 0.5). */
  static Trim fraction(double fraction) {
    if (!(fraction >= 0 && fraction < 0.5)) {
      throw new IllegalArgumentException("trim fraction must be in [0, 0.5), got " + fraction);
    }
    return n -> (int) Math.floor(fraction * n);
  }

  /** The coordinate-wise median: the middle value, or the mean of the two middle values. */
  static Trim median() {
    return n -> (n - 1) / 2;
  }

  @Override
  public void accept(float[] update, long examples) {
    WeightedMeanAccumulator.check(update, length, examples);
    for (float v : update) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("update has a value that is not a finite number: " + v);
      }
    }
    updates.add(update.clone());
  }

  @Override
  public int count() {
    return updates.size();
  }

  /** Values each end drops at the current count. */
  int trimmed() {
    return trim.of(updates.size());
  }

  @Override
  public float[] release() {
    int n = updates.size();
    if (n == 0) {
      throw new IllegalStateException("no update was accepted");
    }
    int drop = trim.of(n);
    if (drop < 0 || 2 * drop >= n) {
      throw new IllegalStateException("cannot drop " + drop + " of " + n + " values at each end");
    }
    float[] column = new float[n];
    float[] result = new float[length];
    for (int i = 0; i < length; i++) {
      for (int c = 0; c < n; c++) {
        column[c] = updates.get(c)[i];
      }
      Arrays.sort(column);
      double sum = 0;
      for (int c = drop; c < n - drop; c++) {
        sum += column[c];
      }
      result[i] = (float) (sum / (n - 2 * drop));
    }
    updates.clear();
    return result;
  }
}
