package io.interestfl.client.node;

import io.interestfl.aggregation.CustomerDpShare;
import io.interestfl.aggregation.CustomerDpState;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.evaluation.PrivateTransitions;
import io.interestfl.interest.model.CustomerContributions;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import io.interestfl.protocol.v1.CustomerDpConfig;
import io.interestfl.protocol.v1.Task;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * This node's side of federation-wide customer-level DP: it checks the round's parameters against its own
 * limits ({@code federation-privacy} in its configuration), records the round in its own customer ledger
 * before anything leaves, and computes its share: capped item counts, capped transition pairs, or the sum of
 * its Poisson-sampled customers' clipped gradients at the global model, each scaled, rounded and noised by
 * {@link CustomerDpShare} for the secure sum.
 */
final class FederationCustomerDp implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  private final ClientConfig config;
  private final SecureRandom secureRandom;
  private PrivacyLedger ledger;
  /** What the ledger held when it was closed. */
  private double closedEpsilon;

  FederationCustomerDp(ClientConfig config, SecureRandom secureRandom) {
    this.config = config;
    this.secureRandom = secureRandom;
  }

  /** The federation's state layout and plan as {@code task} describes them. */
  static CustomerDpState state(Task task) {
    CustomerDpConfig dp = task.getConfig().getCustomerDp();
    CustomerDpRound round = new CustomerDpRound(dp.getSamplingRate(), dp.getClipNorm(), dp.getNoiseMultiplier(),
        dp.getPopulation(), dp.getMinContributors());
    ItemHistogramRelease histogram = dp.getHistogramItems() > 0
        ? new ItemHistogramRelease(dp.getHistogramItems(), dp.getHistogramNoiseMultiplier(), dp.getMinContributors())
        : null;
    ItemHistogramRelease transitions = dp.getTransitionHead() > 0
        ? new ItemHistogramRelease(dp.getTransitionPairs(), dp.getTransitionNoiseMultiplier(), dp.getMinContributors())
        : null;
    CustomerDpPlan plan = new CustomerDpPlan(round, histogram, transitions, Math.max(1, dp.getModelSteps()),
        dp.getDelta());
    return new CustomerDpState(plan, Math.toIntExact(dp.getModelLength()), task.getCatalogue().getSize(),
        dp.getTransitionHead());
  }

  /** The customers' epsilon this node's ledger holds (0 before its first contribution). */
  synchronized double epsilon() {
    return ledger == null ? closedEpsilon : ledger.epsilon();
  }

  /**
   * Why this node must not contribute to {@code task}'s round, or null: the parameters fail its checks, or
   * the round would take its customers past its own budget. Opens the ledger on first use.
   */
  synchronized String refusal(Task task, long ownCustomers, InterestModel model) throws IOException {
    CustomerDpConfig dp = task.getConfig().getCustomerDp();
    ClientConfig.FederationPrivacy limits = config.federationPrivacy;
    List<String> problems = new ArrayList<>();
    CustomerDpState state;
    try {
      state = state(task);
    } catch (IllegalArgumentException e) {
      return "customer-level DP parameters are invalid: " + e.getMessage();
    }
    if (!task.getConfig().getSecureAggregation().getEnabled()) {
      problems.add("the round has no secure aggregation: a noise share alone does not protect the customers");
    }
    problems.addAll(state.plan().round().problems(ownCustomers, limits.minNoiseMultiplier, task.getCohortSize()));
    if (dp.getMinContributors() < limits.minContributors) {
      problems.add("noise is split over " + dp.getMinContributors() + " merchants, fewer than this node's minimum "
          + limits.minContributors);
    }
    if (dp.getDelta() > limits.maxDelta) {
      problems.add("delta " + dp.getDelta() + " is above this node's maximum " + limits.maxDelta);
    }
    if (state.stateLength() != task.getModelLength()) {
      problems.add("the federation's vector has " + task.getModelLength() + " values, its layout says "
          + state.stateLength());
    }
    if (model.parameterCount() != state.modelLength()) {
      problems.add("the model has " + model.parameterCount() + " parameters, the federation says " + state.modelLength());
    } else if (model.outputBiasOffset() != state.modelLength() - state.catalogueSize()) {
      problems.add("the model's output bias is not its last " + state.catalogueSize()
          + " parameters, where the item histogram's popularity prior is written");
    }
    if (!problems.isEmpty()) {
      return "refusing customer-level DP round " + task.getRoundId() + ": " + String.join("; ", problems);
    }
    openLedger();
    PrivacyMechanism mechanism = state.mechanism(state.stepAt(task.getModelVersion()));
    if (!ledger.canSpend(mechanism)) {
      return String.format(Locale.ROOT, "customer-level privacy budget: epsilon %.4f spent, this round would reach "
          + "%.4f > this node's maximum %.4f (delta %s)", ledger.epsilon(), ledger.epsilonIfSpent(mechanism).epsilon(),
          limits.maxEpsilon, ledger.budget().delta());
    }
    return null;
  }

  private void openLedger() throws IOException {
    if (ledger == null) {
      ledger = PrivacyLedger.open(config.federationLedgerPath(),
          new PrivacyBudget(config.federationPrivacy.maxEpsilon, config.federationPrivacy.maxDelta));
    }
  }

  /**
   * Records the round in this node's ledger, then computes its share of the release {@code task} asks for from
   * the federation's {@code state} vector; the returned input makes the masked words once the cohort is known.
   * Call only after {@link #refusal} returned null.
   */
  synchronized SecAggParticipant.Input contribute(Task task, float[] global, InterestModel model,
      List<CustomerHistory> train) throws IOException {
    CustomerDpState state = state(task);
    CustomerDpState.Step step = state.stepAt(task.getModelVersion());
    ledger.spend(task.getRoundId(), state.mechanism(step));
    long started = System.nanoTime();
    double[] values = switch (step) {
      case ITEM_HISTOGRAM -> CustomerContributions.itemCounts(train, state.plan().histogram(), state.catalogueSize());
      case ITEM_TRANSITIONS -> new PrivateTransitions(state.histogram(global), state.transitionHead())
          .customerPairs(train, state.plan().transitions().itemsPerCustomer());
      case MODEL_STEP -> {
        model.setParameters(state.model(global));
        CustomerContributions.Sum sum = CustomerContributions.clippedSum(model, train, state.plan().round(),
            task.getConfig().getCustomerDp().getExamplesPerCustomer(), secureRandom, null);
        LOG.info(String.format(Locale.ROOT, "%s: round %d customer gradients: %.0f%% clipped at C %.4g (counts stay "
                + "here)", config.name, task.getRoundId(), 100 * sum.clippedFraction(), state.plan().round().clipNorm()));
        yield sum.values();
      }
    };
    LOG.info(String.format(Locale.ROOT, "%s: round %d %s share computed in %.1f s; customers' epsilon now %.4f "
            + "(delta %s)", config.name, task.getRoundId(), step, (System.nanoTime() - started) / 1e9, ledger.epsilon(),
        ledger.budget().delta()));
    int stateLength = global.length;
    return cohortSize -> {
      if (cohortSize < state.plan().round().minContributors()) {
        throw new IllegalStateException("secure aggregation cohort of " + cohortSize + " is smaller than the "
            + state.plan().round().minContributors() + " merchants the noise is split over");
      }
      CustomerDpShare share = state.share(step, cohortSize);
      return share.encode(share.quantizer(cohortSize), values, stateLength, secureRandom);
    };
  }

  @Override
  public synchronized void close() {
    if (ledger != null) {
      closedEpsilon = ledger.epsilon();
      try {
        ledger.close();
      } catch (IOException e) {
        LOG.warning("could not close the customer ledger: " + e);
      }
      ledger = null;
    }
  }
}
