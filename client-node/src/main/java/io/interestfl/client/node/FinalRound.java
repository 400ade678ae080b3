package io.interestfl.client.node;

import io.interestfl.aggregation.ControlVariates;
import io.interestfl.aggregation.CustomerDpShare;
import io.interestfl.aggregation.CustomerDpState;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.LocalPopularityBlend;
import io.interestfl.interest.evaluation.PrivateTransitions;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.LocalAdaptation;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Task;
import io.interestfl.serving.ServingConfig;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * What the node does once the federation has finished: evaluate the final global model and report it,
 * optionally adapt it to the local data, optionally report the baselines (popularity, training alone),
 * then serve recommendations from it if the configuration asks for that. Holds no state of its own.
 */
record FinalRound(ClientConfig config, CoordinatorLink coordinator, MerchantData data, LocalModel model,
    CustomerPrivacy privacy, FederationCustomerDp federationDp, RecommendationServing serving) {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  /** Runs the final round of the FINISHED {@code task}; returns the final model's metrics once serving ends. */
  RankingMetrics finish(Task task) throws Exception {
    LOG.info(config.name + ": " + task.getMessage());
    InterestModel local = model.modelFor(task);
    float[] downloaded = coordinator.downloadModel(task.getRoundId(), task.getModelVersion(), task.getModelLength());
    RankingMetrics finalMetrics;
    if (task.getConfig().hasCustomerDp()) {
      finalMetrics = finishCustomerDp(task, local, downloaded);
    } else {
      local.setParameters(task.getConfig().getDriftCorrection() ? ControlVariates.model(downloaded) : downloaded);
      finalMetrics = data.evaluate(local);
    }
    report(task, EvaluationReport.Subject.FEDERATED, finalMetrics, 0);
    LOG.info(String.format("%s: final federated model v%d: %s", config.name, task.getModelVersion(), finalMetrics));
    if (config.adaptEpochs > 0 && (privacy.enabled() || task.getConfig().hasCustomerDp())) {
      LOG.warning(config.name + ": adapt-epochs ignored: local adaptation is not private and this node runs "
          + "customer-level DP; serving the global model");
    } else if (config.adaptEpochs > 0) {
      float[] global = local.parameters();
      int epochs = LocalAdaptation.adapt(local, global, data.split().train(), config.adaptEpochs);
      RankingMetrics adapted = data.evaluate(local);
      report(task, EvaluationReport.Subject.ADAPTED, adapted, epochs);
      LOG.info(String.format("%s: adapted the final model locally for %d epoch(s) (chosen on validation baskets, "
          + "0..%d): %s", config.name, epochs, config.adaptEpochs, adapted));
    }
    ServingConfig servingConfig = config.servingConfig();
    if (config.baselines) {
      reportBaselines(task);
    }
    if (servingConfig != null) {
      serving.serve(servingConfig, local);
    }
    return finalMetrics;
  }

  /**
   * The final state of a customer-level DP federation: the model, and the private transitions when they were
   * released, which are then what the federation recommends with (the model's figure is logged beside them).
   */
  private RankingMetrics finishCustomerDp(Task task, InterestModel local, float[] global) {
    CustomerDpState state = FederationCustomerDp.state(task);
    local.setParameters(state.model(global));
    RankingMetrics modelMetrics = data.evaluate(local);
    if (!state.transitionsReleased(task.getModelVersion())) {
      return modelMetrics;
    }
    double[] counts = state.histogram(global);
    PrivateTransitions head =
        new PrivateTransitions(counts, state.transitionHead());
    CustomerDpShare share = state.share(
        CustomerDpState.Step.ITEM_TRANSITIONS, Math.max(1, task.getCohortSize()));
    CaseScorer released = head.scorer(state.transitions(global), share.noiseStddev(),
        state.plan().transitions().itemsPerCustomer(), counts);
    // Mixed with this merchant's own popularity (its own data for its own customers: no privacy cost), the
    // weight chosen on its own validation baskets.
    LocalPopularityBlend.Choice blend =
        LocalPopularityBlend.choose(released, data.split().train(),
            task.getCatalogue().getSize(), 10, 20);
    RankingMetrics transitions = data.evaluate(released);
    RankingMetrics served = data.evaluate(blend.scorer());
    LOG.info(String.format(Locale.ROOT, "%s: final state v%d: served (private transitions + %.2f x own "
            + "popularity, chosen on %d validation baskets) %s; private transitions alone %s; model alone %s; "
            + "customers' epsilon %.4f", config.name, task.getModelVersion(), blend.beta(), blend.validationCases(),
        served, transitions, modelMetrics, federationDp.epsilon()));
    return served;
  }

  /** Reports the most-popular-items baseline and a model trained on this node's data alone. */
  private void reportBaselines(Task task) throws Exception {
    RankingMetrics popularity = data.evaluatePopularity();
    report(task, EvaluationReport.Subject.POPULARITY, popularity, 0);
    int epochs = task.getConfig().getRounds() * task.getConfig().getLocalEpochs();
    try (InterestModel alone = InterestModel.create(data.modelConfig(task.getConfig()))) {
      if (!privacy.enabled()) {
        alone.train(data.split().train(), epochs);
      } else if (privacy.trainBaseline(alone, data.split().train(), epochs, task.getRoundId()) == null) {
        // A fair baseline must protect the customers just the same, and its cost is in the ledger: none is left.
        return;
      }
      RankingMetrics aloneMetrics = data.evaluate(alone);
      report(task, EvaluationReport.Subject.LOCAL_ONLY, aloneMetrics, epochs);
      LOG.info(String.format("%s: popularity %s; trained alone for %d epochs %s", config.name, popularity,
          epochs, aloneMetrics));
    }
  }

  private void report(Task task, EvaluationReport.Subject subject, RankingMetrics metrics, int epochs)
      throws Exception {
    coordinator.reportEvaluation(EvaluationReport.newBuilder()
        .setRoundId(task.getRoundId())
        .setModelVersion(task.getModelVersion())
        .setSubject(subject)
        .setMetrics(CoordinatorLink.toProto(metrics))
        .setEpochs(epochs));
  }
}
