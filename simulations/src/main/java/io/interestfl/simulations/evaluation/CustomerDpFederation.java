package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.CustomerDpState;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.PrivateTransitions;
import io.interestfl.interest.model.CustomerContributions;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Federation-wide customer-level DP in one process, with the same stages a coordinator and its nodes run:
 * first the private item histogram (every client's capped counts plus its noise share, summed) sets the
 * output bias so the model starts at popularity; then every round each client Poisson-samples its customers
 * at the plan's rate, sums their clipped contributions at the global model
 * ({@link CustomerContributions#clippedSum}), adds its noise share, and the sum over the clients, divided by
 * q N, goes to the server optimizer ({@link CustomerDpState#commit}, as at the coordinator).
 *
 * <p>Here the shares are continuous Gaussians (their sum is N(0, (zC)^2), the central mechanism); the
 * nodes of a real federation add discrete Gaussian shares to quantized sums under secure aggregation.
 */
final class CustomerDpFederation {
  /**
   * @param rounds             private rounds (one noisy step each)
   * @param customersPerRound  expected sampled customers per round over the whole federation
   * @param clipNorm           C
   * @param examplesCap        a customer's most recent training examples that count
   * @param histogramItems     k of the item histogram (0: no histogram, the model starts untrained)
   * @param histogramNoise     z of the item histogram
   * @param transitionHead     head of the catalogue the private transitions cover (0: no transitions)
   * @param transitionPairs    k: pairs each customer counts
   * @param transitionNoise    z of the transitions' release
   * @param serverOptimizer    {@link ServerOptimizers} name
   * @param serverLearningRate its learning rate
   * @param serverTau          its tau (fedadam/fedyogi)
   */
  record Settings(int rounds, double customersPerRound, double clipNorm, int examplesCap, int histogramItems,
                  double histogramNoise, int transitionHead, int transitionPairs, double transitionNoise,
                  String serverOptimizer, double serverLearningRate, double serverTau) {
    Settings {
      if (rounds < 1) {
        throw new IllegalArgumentException("private rounds must be >= 1, got " + rounds);
      }
      if (!(customersPerRound > 0)) {
        throw new IllegalArgumentException("customers per round must be > 0, got " + customersPerRound);
      }
      if (histogramItems < 0) {
        throw new IllegalArgumentException("histogram items per customer must be >= 0, got " + histogramItems);
      }
      ServerOptimizers.create(serverOptimizer, serverLearningRate, 0.9, 0.999, serverTau);   // validates
    }

    ItemHistogramRelease transitions(int clients) {
      return transitionHead == 0 || histogramItems == 0 ? null
          : new ItemHistogramRelease(transitionPairs, transitionNoise, clients);
    }

    ItemHistogramRelease histogram(int clients) {
      return histogramItems == 0 ? null : new ItemHistogramRelease(histogramItems, histogramNoise, clients);
    }
  }

  /** Sees the global model after the histogram (round 0) and after every round. */
  interface RoundListener {
    void after(int round, float[] global);
  }

  private CustomerDpFederation() {}

  /** The plan for the settings' rounds within {@code epsilon} at {@code delta} over these clients. */
  static CustomerDpPlan plan(Settings s, List<ClientData> clients, double epsilon, double delta) {
    int rounds = s.rounds();
    long population = clients.stream().mapToLong(c -> c.split().train().size()).sum();
    return CustomerDpPlan.calibrate(epsilon, delta, rounds, s.customersPerRound(), s.clipNorm(), population,
        clients.size(), s.histogram(clients.size()), s.transitions(clients.size()));
  }

  /** The final global model and the private transitions' scorer (null without them). */
  record Outcome(float[] global, CaseScorer transitions) {}

  /**
   * Trains {@code model} (from its current parameters) under {@code plan}: the rounds run in the federation's state
   * vector and are committed by {@link CustomerDpState#commit}, the same code the coordinator runs; only the secure
   * sum is stood in for by a plain sum of the clients' noisy shares.
   */
  static Outcome train(InterestModel model, List<ClientData> clients, Settings s, CustomerDpPlan plan,
      SecureRandom rng, RoundListener listener) {
    int c = model.config().catalogueSize();
    int p = model.parameterCount();
    if (model.outputBiasOffset() != p - c) {
      throw new IllegalArgumentException("the model's output bias is not its last " + c + " parameters, where the "
          + "item histogram's popularity prior is written");
    }
    CustomerDpState state = new CustomerDpState(plan, p, c,
        plan.transitions() == null ? 0 : Math.min(s.transitionHead(), c - 2));
    AggregationStrategy server = ServerOptimizers.create(s.serverOptimizer(), s.serverLearningRate(), 0.9, 0.999,
        s.serverTau());
    float[] vector = Arrays.copyOf(model.parameters(), state.stateLength());
    CaseScorer transitions = null;
    ItemHistogramRelease histogram = plan.histogram();
    if (histogram != null) {
      vector = state.commit(CustomerDpState.Step.ITEM_HISTOGRAM, vector, noisySum(clients, histogram.shareStddev(), rng,
          client -> CustomerContributions.itemCounts(client.split().train(), histogram, c)), server);
      ItemHistogramRelease pairs = plan.transitions();
      if (pairs != null) {
        PrivateTransitions head = new PrivateTransitions(state.histogram(vector), state.transitionHead());
        vector = state.commit(CustomerDpState.Step.ITEM_TRANSITIONS, vector, noisySum(clients, pairs.shareStddev(), rng,
            client -> head.customerPairs(client.split().train(), pairs.itemsPerCustomer())), server);
        transitions = head.scorer(state.transitions(vector), pairs.noiseStddev(), pairs.itemsPerCustomer(),
            state.histogram(vector));
      }
    }
    if (listener != null) {
      listener.after(0, state.model(vector));
    }
    CustomerDpRound round = plan.round();
    for (int r = 0; r < plan.rounds(); r++) {
      model.setParameters(state.model(vector));
      vector = state.commit(CustomerDpState.Step.MODEL_STEP, vector, noisySum(clients, round.shareStddev(), rng,
          client -> CustomerContributions.clippedSum(model, client.split().train(), round, s.examplesCap(), rng, null)
              .values()), server);
      if (listener != null) {
        listener.after(r + 1, state.model(vector));
      }
    }
    return new Outcome(state.model(vector), transitions);
  }

  /** Every client's values plus its noise share, summed: the secure sum's released value. */
  private static double[] noisySum(List<ClientData> clients, double shareStddev, SecureRandom rng,
      Function<ClientData, double[]> values) {
    double[] sum = null;
    for (ClientData client : clients) {
      double[] own = values.apply(client);
      CustomerContributions.addNoiseShare(own, shareStddev, rng);
      if (sum == null) {
        sum = own;
      } else {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += own[i];
        }
      }
    }
    return sum;
  }
}
