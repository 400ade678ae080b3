package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TrainTestSplit;
import java.util.List;

/**
 * A federation's scorer mixed with the merchant's own item popularity, {@code base + beta * own / max own}, with
 * beta chosen on the merchant's own validation cases (each customer's last training basket, predicted from the
 * baskets before it). The merchant's own counts are its own data used for its own customers, so the mixture
 * costs no privacy; it keeps a merchant whose customers differ from the federation's (a small country among UK
 * shoppers) at least at its own popularity, and leaves the federation's scorer alone where it is better.
 */
public final class LocalPopularityBlend {
  /** The weights tried; the last stands for "own popularity only". */
  static final double[] BETAS = {0, 0.01, 0.03, 0.1, 0.3, 1, 3, 1e6};

  /** The chosen mixture: its scorer, beta, and the validation NDCG@k it was chosen on. */
  public record Choice(CaseScorer scorer, double beta, double validationNdcg, int validationCases) {}

  private LocalPopularityBlend() {}

  /**
   * Chooses beta for {@code base} over the merchant's {@code train} histories; with fewer than {@code minCases}
   * validation cases, keeps {@code base} (beta 0).
   */
  public static Choice choose(CaseScorer base, List<CustomerHistory> train, int catalogueSize, int k, int minCases) {
    float[] own = PopularityBaseline.fromHistories(train, catalogueSize).counts();
    float max = 0;
    for (int i = 2; i < own.length; i++) {
      max = Math.max(max, own[i]);
    }
    float[] normalised = new float[own.length];
    for (int i = 2; i < own.length; i++) {
      normalised[i] = max == 0 ? 0 : own[i] / max;
    }
    List<HeldOutBasket> validation = TrainTestSplit.lastBasket(train).test();
    if (validation.size() < minCases) {
      return new Choice(base, 0, Double.NaN, validation.size());
    }
    double bestNdcg = -1;
    double bestBeta = 0;
    for (double beta : BETAS) {
      double ndcg = RankingEvaluator.evaluateCases(mix(base, normalised, beta), validation, k, catalogueSize).ndcg();
      if (ndcg > bestNdcg + 1e-9) {
        bestNdcg = ndcg;
        bestBeta = beta;
      }
    }
    return new Choice(mix(base, normalised, bestBeta), bestBeta, bestNdcg, validation.size());
  }

  static CaseScorer mix(CaseScorer base, float[] ownNormalised, double beta) {
    if (beta == 0) {
      return base;
    }
    return cases -> {
      float[][] scores = base.score(cases);
      for (float[] row : scores) {
        for (int i = 0; i < row.length; i++) {
          row[i] += (float) (beta * ownNormalised[i]);
        }
      }
      return scores;
    };
  }
}
