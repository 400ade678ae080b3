package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.TrainingStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One model (a client alone, or centralized) trained to the epoch count chosen on validation, or for a fixed count.
 *
 * @param outcome   the epochs chosen, their validation score and the epochs run
 * @param validated whether the count was chosen on validation
 * @param examples  training examples per epoch
 * @param validation the validation cases (empty with a fixed count)
 */
record ValidatedFit(EarlyStopping.Outcome outcome, boolean validated, long examples, List<HeldOutBasket> validation) {
  /**
   * Trains {@code m} on the pooled training data of {@code clients}: with a patience, epoch by epoch on all but each
   * customer's last training basket, keeping the epoch count that scores best on those baskets (at most {@code max});
   * without, {@code max} epochs on everything. Leaves the chosen parameters in {@code m}. The epochs are chosen on
   * the network's own validation score, not its score inside the repeat/explore head: on logs of rebuyers the
   * head's score is the customers' own history from the first epoch and flattens early (docs/benchmarks.md).
   */
  static ValidatedFit train(InterestModel m, List<ClientData> clients, int max, int patience) {
    List<List<CustomerHistory>> train = new ArrayList<>();
    List<HeldOutBasket> validation = new ArrayList<>();
    boolean validated = patience > 0 && split(clients, train, validation);
    List<CustomerHistory> pooled = new ArrayList<>();
    if (validated) {
      train.forEach(pooled::addAll);
    } else {
      clients.forEach(cd -> pooled.addAll(cd.split().train()));
    }
    int c = m.config().catalogueSize();
    long[] examples = {0};
    EarlyStopping.Outcome out = EarlyStopping.run(max, validated ? patience : 0, e -> {
      TrainingStats s = m.train(pooled, 1);
      examples[0] = s.examples();
      return m.parameters();
    }, p -> FederatedEvaluation.ndcg(m, validation, c));
    m.setParameters(out.params());
    return new ValidatedFit(out, validated, examples[0], validated ? List.copyOf(validation) : List.of());
  }

  /**
   * Each client's training histories less every customer's last training basket (into {@code train}), and those
   * baskets as validation cases (into {@code validation}); false when no customer has a validation basket.
   */
  static boolean split(List<ClientData> clients, List<List<CustomerHistory>> train, List<HeldOutBasket> validation) {
    for (ClientData cd : clients) {
      TrainTestSplit inner = TrainTestSplit.lastBasket(cd.split().train());
      train.add(inner.train());
      validation.addAll(inner.test());
    }
    return !validation.isEmpty();
  }

  /** Records the chosen count under {@code key} (nothing with a fixed count). */
  void chosenInto(Map<String, Integer> chosen, String key) {
    if (validated) {
      chosen.put(key, outcome.best());
    }
  }

  @Override
  public String toString() {
    return validated
        ? String.format(Locale.ROOT, "%d examples, %d epochs chosen on validation (NDCG@10 %.4f), %d run", examples,
            outcome.best(), outcome.bestScore(), outcome.run())
        : String.format(Locale.ROOT, "%d examples, %d epochs", examples, outcome.best());
  }
}
