package io.interestfl.interest.model;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RankingEvaluator;
import java.util.List;

/**
 * Local adaptation of a global model, as a merchant runs it: fine-tune on its own data for as many
 * epochs as score best on its own validation baskets. Validation = every customer's last training
 * basket, held out of a training set made of the earlier ones; the node's test baskets are never used.
 * Measured on Online Retail (docs/benchmarks.md): the federated model adapted this way beats the
 * client's own model for 10 of 11 countries, and the UK keeps the global model (0 epochs chosen).
 *
 * <p>Not differentially private: the choice of epochs and the fine-tuning read the customers' data
 * directly. A node under customer-level DP must not serve or report an adapted model.
 */
public final class LocalAdaptation {
  private static final int K = 10;

  private LocalAdaptation() {
  }

  /**
   * The number of epochs in {@code [min, max]} whose model, trained from {@code start} on the training
   * part, scores the best NDCG@10 on the validation baskets (ties go to fewer epochs); {@code fallback}
   * when no customer has a validation basket. Leaves the model's parameters at {@code start}.
   */
  public static int validatedEpochs(InterestModel model, float[] start, List<CustomerHistory> train, int min,
      int max, int fallback) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ", " + max);
    }
    TrainTestSplit inner = TrainTestSplit.lastBasket(train);
    if (inner.test().isEmpty()) {
      return fallback;
    }
    int catalogue = model.config().catalogueSize();
    model.setParameters(start);
    int best = min;
    double bestNdcg = -1;
    for (int epoch = 0; epoch <= max; epoch++) {
      if (epoch > 0) {
        model.train(inner.train(), 1);
      }
      if (epoch >= min) {
        double ndcg = RankingEvaluator.evaluateCases(CaseScorer.ofTimed(model::score), inner.test(), K, catalogue)
            .ndcg();
        if (ndcg > bestNdcg) {
          bestNdcg = ndcg;
          best = epoch;
        }
      }
    }
    model.setParameters(start);
    return best;
  }

  /**
   * Fine-tunes {@code model} from {@code start} on all of {@code train} for the validated number of epochs
   * in {@code 0..maxEpochs} (0 leaves it at {@code start}); returns that number.
   */
  public static int adapt(InterestModel model, float[] start, List<CustomerHistory> train, int maxEpochs) {
    int epochs = validatedEpochs(model, start, train, 0, maxEpochs, 0);
    model.setParameters(start);
    if (epochs > 0) {
      model.train(train, epochs);
    }
    return epochs;
  }
}
