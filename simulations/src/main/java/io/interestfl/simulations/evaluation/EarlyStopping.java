package io.interestfl.simulations.evaluation;

import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Training to convergence, chosen on validation: run steps (an epoch, or a federated round) one at a time, score
 * the model on held-out validation cases after each, keep the best, and stop after {@code patience} steps without
 * improvement or at {@code max}. Validation cases are every customer's last training basket (SASRec's protocol:
 * train on all but the last two, choose on the second-last, test once on the last), never the test baskets.
 */
final class EarlyStopping {
  /**
   * @param best      the chosen count of steps (1-based)
   * @param bestScore its validation NDCG@10
   * @param run       steps actually run (best + patience, or max)
   * @param params    the chosen model's parameters
   */
  record Outcome(int best, double bestScore, int run, float[] params) {}

  private EarlyStopping() {}

  /**
   * @param max      the most steps
   * @param patience steps without a better validation score before stopping; 0 runs all {@code max} steps and keeps
   *                 the last model (no validation)
   * @param step     runs step {@code k} (1-based) and returns the model's parameters after it
   * @param validate the validation NDCG@10 of a parameter vector
   */
  static Outcome run(int max, int patience, IntFunction<float[]> step, ToDoubleFunction<float[]> validate) {
    if (max < 1) {
      throw new IllegalArgumentException("max steps must be >= 1, got " + max);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    if (patience == 0) {
      float[] last = null;
      for (int k = 1; k <= max; k++) {
        last = step.apply(k);
      }
      return new Outcome(max, Double.NaN, max, last);
    }
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    float[] bestParams = null;
    int k = 0;
    while (k < max && k - best < patience) {
      k++;
      float[] p = step.apply(k);
      double score = validate.applyAsDouble(p);
      if (score > bestScore) {   // ties go to fewer steps
        bestScore = score;
        best = k;
        bestParams = p.clone();
      }
    }
    return new Outcome(best, bestScore, k, bestParams);
  }
}
