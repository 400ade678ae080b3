package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.Aggregator;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.PrivateTransitions;
import io.interestfl.interest.model.CustomerContributions;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.privacy.federation.PopularityPrior;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import java.security.SecureRandom;
import java.util.List;

/**
 * Federation-wide customer-level DP in one process, with the same stages a coordinator and its nodes run:
 * first the private item histogram (every client's capped counts plus its noise share, summed) sets the
 * output bias so the model starts at popularity; then every round each client Poisson-samples its customers
 * at the plan's rate, sums their clipped contributions at the global model
 * ({@link CustomerContributions#clippedSum}), adds its noise share, and the sum over the clients, divided by
 * q N ({@code CustomerDpMean}), goes to the server optimizer.
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

  /** Trains {@code model} (from its current parameters) under {@code plan}. */
  static Outcome train(InterestModel model, List<ClientData> clients, Settings s, CustomerDpPlan plan,
      SecureRandom rng, RoundListener listener) {
    float[] global = model.parameters();
    CaseScorer transitions = null;
    ItemHistogramRelease histogram = plan.histogram();
    if (histogram != null) {
      int c = model.config().catalogueSize();
      double[] counts = new double[c];
      for (ClientData client : clients) {
        double[] own = CustomerContributions.itemCounts(client.split().train(), histogram, c);
        CustomerContributions.addNoiseShare(own, histogram.shareStddev(), rng);
        for (int i = 0; i < c; i++) {
          counts[i] += own[i];
        }
      }
      PopularityPrior.applyTo(global, model.outputBiasOffset(), counts);
      ItemHistogramRelease pairs = plan.transitions();
      if (pairs != null) {
        PrivateTransitions head = new PrivateTransitions(counts, s.transitionHead());
        double[] released = new double[head.headSize() * head.headSize()];
        for (ClientData client : clients) {
          double[] own = head.customerPairs(client.split().train(), pairs.itemsPerCustomer());
          CustomerContributions.addNoiseShare(own, pairs.shareStddev(), rng);
          for (int i = 0; i < own.length; i++) {
            released[i] += own[i];
          }
        }
        transitions = head.scorer(released, pairs.noiseStddev(), pairs.itemsPerCustomer(), counts);
      }
    }
    if (listener != null) {
      listener.after(0, global);
    }
    CustomerDpRound round = plan.round();
    AggregationPipeline pipeline = AggregationPipeline.customerDp(round,
        ServerOptimizers.create(s.serverOptimizer(), s.serverLearningRate(), 0.9, 0.999, s.serverTau()));
    for (int r = 0; r < plan.rounds(); r++) {
      model.setParameters(global);
      Aggregator mean = pipeline.open(global.length, clients.size());
      for (ClientData client : clients) {
        List<CustomerHistory> train = client.split().train();
        CustomerContributions.Sum sum = CustomerContributions.clippedSum(model, train, round, s.examplesCap(), rng,
            null);
        double[] values = sum.values();
        CustomerContributions.addNoiseShare(values, round.shareStddev(), rng);
        float[] sent = new float[values.length];
        for (int i = 0; i < sent.length; i++) {
          sent[i] = (float) values[i];
        }
        mean.accept(sent, 1);
      }
      global = pipeline.step(global, mean.release());
      if (listener != null) {
        listener.after(r + 1, global);
      }
    }
    return new Outcome(global, transitions);
  }
}
