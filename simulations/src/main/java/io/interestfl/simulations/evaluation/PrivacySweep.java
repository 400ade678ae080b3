package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.Aggregator;
import io.interestfl.aggregation.ModelAverage;
import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.PopularityBaseline;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.ItemPopularity;
import io.interestfl.interest.evaluation.ListEvaluation;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.evaluation.RepeatExploreScorer;
import io.interestfl.interest.evaluation.RepeatRate;
import io.interestfl.interest.model.DpSgdConfig;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.interest.model.TrainingStats;
import io.interestfl.interest.model.UserLevelDpTrainer;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.privacy.federation.CustomerDpPlan;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Privacy against utility of customer-level DP in a federation, in one process: for each target epsilon, every
 * client trains its rounds with user-level DP-SGD ({@link UserLevelDpTrainer}) calibrated so that all of its rounds
 * together stay within that epsilon for its own customers, as a client node with {@code user-level-privacy} does;
 * the clients' models are averaged with weight 1 each (a node under customer-level DP does not reveal its example
 * count) and the federated model is scored on every client's held-out last baskets (full ranking, HR@10 and
 * NDCG@10). Epsilon {@code Infinity} is the non-private reference: ordinary training, example-weighted FedAvg.
 *
 * <p>Every run starts from the same initial weights (the model's seed); the DP noise comes from {@link SecureRandom}
 * and is not seeded, so repeats differ by the noise alone.
 */
public final class PrivacySweep {
  public static final int K = FederatedEvaluation.K;

  /**
   * @param model              architecture and the non-private learning rate
   * @param dpLearningRate     Adam learning rate of DP-SGD (noisy gradients want a larger one)
   * @param rounds             federated rounds
   * @param localEpochs        local epochs per round
   * @param clipNorm           per-customer L2 bound C
   * @param customersPerStep   expected customers per DP-SGD step (Poisson rate = this / the client's customers)
   * @param delta              delta of every client's (epsilon, delta) guarantee
   * @param epsilons           target epsilons, {@code Infinity} for the non-private reference
   * @param repeats            runs per private epsilon (the non-private reference, deterministic, runs once)
   */
  public record Settings(ModelConfig model, double dpLearningRate, int rounds, int localEpochs, double clipNorm,
                         double customersPerStep, double delta, List<Double> epsilons, int repeats) {
    public Settings {
      List<String> problems = new ArrayList<>();
      if (!(dpLearningRate > 0)) {
        problems.add("DP learning rate must be > 0, got " + dpLearningRate);
      }
      if (rounds < 1) {
        problems.add("rounds must be >= 1, got " + rounds);
      }
      if (localEpochs < 1) {
        problems.add("local epochs must be >= 1, got " + localEpochs);
      }
      if (repeats < 1) {
        problems.add("repeats must be >= 1, got " + repeats);
      }
      if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
        problems.add("clip norm must be finite and > 0, got " + clipNorm);
      }
      if (!(customersPerStep > 0) || Double.isInfinite(customersPerStep)) {
        problems.add("customers per step must be finite and > 0, got " + customersPerStep);
      }
      if (!(delta > 0 && delta < 1)) {
        problems.add("delta must be in (0, 1), got " + delta);
      }
      if (epsilons.isEmpty()) {
        problems.add("no epsilon to sweep");
      }
      for (double e : epsilons) {
        if (!(e > 0)) {
          problems.add("every epsilon must be > 0 (Infinity: no privacy), got " + e);
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      epsilons = List.copyOf(epsilons);
    }
  }

  /**
   * One run.
   *
   * @param targetEpsilon      the target ({@code Infinity}: not private)
   * @param repeat             1-based
   * @param spentEpsilon       the largest epsilon any client's customers spent over all rounds (NaN when not private)
   * @param meanNoiseMultiplier the clients' mean calibrated z (0 when not private)
   * @param metrics            the federated model on every client's held-out baskets
   * @param withHistory        the same model as each client serves it: its repeat/explore mixture with the customer's
   *                           own history ({@link RepeatExploreScorer}, the client's own repeat rate; local data only,
   *                           no privacy cost)
   * @param transitions        federation mode: the private item-to-item transitions (released once, in the same
   *                           budget) on every client's held-out baskets; null otherwise
   * @param seconds            wall-clock seconds of training and scoring
   */
  public record Run(double targetEpsilon, int repeat, double spentEpsilon, double meanNoiseMultiplier,
                    RankingMetrics metrics, RankingMetrics withHistory, RankingMetrics transitions, double seconds) {
    public boolean isPrivate() {
      return !Double.isInfinite(targetEpsilon);
    }
  }

  /** The runs and the references: the untrained model and the pooled popularity baseline. */
  public record Result(List<Run> runs, RankingMetrics untrained, RankingMetrics popularity,
                       RankingMetrics popularityWithHistory, int clients,
                       int trainingCustomers, int testCustomers) {}

  private final Settings settings;
  private final CustomerDpFederation.Settings federation;
  private final PrintStream progress;

  /** The per-node mode: every client runs DP-SGD on its own customers, calibrated for them alone. */
  public PrivacySweep(Settings settings, PrintStream progress) {
    this(settings, null, progress);
  }

  /**
   * @param federation the federation-wide mode's settings ({@link CustomerDpFederation}: one noise for the
   *                   whole federation), or null for the per-node mode
   */
  PrivacySweep(Settings settings, CustomerDpFederation.Settings federation, PrintStream progress) {
    this.settings = settings;
    this.federation = federation;
    this.progress = progress;
  }

  public Result run(EvaluationData data) {
    int c = data.catalogue().size();
    if (settings.model().catalogueSize() != c) {
      throw new IllegalArgumentException("model catalogue size " + settings.model().catalogueSize()
          + " differs from the data's " + c);
    }
    List<ClientData> clients = data.clients().stream().filter(cd -> !cd.split().train().isEmpty()).toList();
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("no client has a training customer");
    }
    List<CustomerHistory> pooled = new ArrayList<>();
    List<HeldOutBasket> test = new ArrayList<>();
    for (ClientData cd : clients) {
      pooled.addAll(cd.split().train());
      test.addAll(cd.split().test());
    }
    CaseScorer pooledPopularity = CaseScorer.of(PopularityBaseline.fromHistories(pooled, c));
    RankingMetrics popularity = RankingEvaluator.evaluateCases(pooledPopularity, test, K, c);
    RankingMetrics popularityWithHistory = withHistory(pooledPopularity, clients, c);
    RankingMetrics untrained;
    try (InterestModel m = InterestModel.create(settings.model())) {
      untrained = RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), test, K, c);
    }
    log("%d clients, %d training customers, %d test customers; untrained NDCG@%d %.4f, popularity %.4f",
        clients.size(), pooled.size(), test.size(), K, untrained.ndcg(), popularity.ndcg());
    List<Run> runs = new ArrayList<>();
    for (double epsilon : settings.epsilons()) {
      // without noise a run is deterministic (same initial weights, one thread): once is enough
      int repeats = Double.isInfinite(epsilon) ? 1 : settings.repeats();
      for (int repeat = 1; repeat <= repeats; repeat++) {
        Run r = runOnce(clients, test, c, epsilon, repeat);
        runs.add(r);
        log("epsilon %s run %d: spent %s, mean z %.3f, HR@%d %.4f, NDCG@%d %.4f (%.1f s)", formatEpsilon(epsilon), repeat,
            r.isPrivate() ? String.format(java.util.Locale.ROOT, "%.3f", r.spentEpsilon()) : "-",
            r.meanNoiseMultiplier(), K, r.metrics().hitRate(), K, r.metrics().ndcg(), r.seconds());
      }
    }
    return new Result(List.copyOf(runs), untrained, popularity, popularityWithHistory, clients.size(), pooled.size(),
        test.size());
  }

  private Run runOnce(List<ClientData> clients, List<HeldOutBasket> test, int c, double epsilon, int repeat) {
    long t0 = System.nanoTime();
    boolean dp = !Double.isInfinite(epsilon);
    if (dp && federation != null) {
      return runFederationWide(clients, test, c, epsilon, repeat, t0);
    }
    ModelConfig cfg = dp ? settings.model().withLearningRate(settings.dpLearningRate()) : settings.model();
    int epochsInAll = settings.rounds() * settings.localEpochs();
    DpSgdConfig[] dpConfigs = new DpSgdConfig[clients.size()];
    long[] steps = new long[clients.size()];
    double zSum = 0;
    if (dp) {
      for (int i = 0; i < clients.size(); i++) {
        // the client's whole federation within epsilon for its own customers, as its privacy ledger requires
        dpConfigs[i] = DpSgdConfig.calibrated(epsilon, settings.delta(), clients.get(i).split().train().size(),
            epochsInAll, settings.clipNorm(), settings.customersPerStep(), DpSgdConfig.DEFAULT_EXAMPLES_PER_CUSTOMER_CAP);
        zSum += dpConfigs[i].noiseMultiplier();
      }
    }
    SecureRandom noise = new SecureRandom();
    try (InterestModel m = InterestModel.create(cfg)) {
      float[] global = m.parameters();
      // the clients send their models, weighted by the examples they report (1 under customer-level DP)
      AggregationPipeline fedAvg = AggregationPipeline.mean(Weighting.EXAMPLES, new ModelAverage());
      for (int round = 1; round <= settings.rounds(); round++) {
        Aggregator mean = fedAvg.open(global.length, clients.size());
        for (int i = 0; i < clients.size(); i++) {
          List<CustomerHistory> train = clients.get(i).split().train();
          m.setParameters(global);
          long reported;
          if (dp) {
            UserLevelDpTrainer trainer = new UserLevelDpTrainer(m, dpConfigs[i], noise);
            trainer.train(train, settings.localEpochs());
            steps[i] += trainer.lastMechanism().steps();
            reported = 1;
          } else {
            TrainingStats s = m.train(train, settings.localEpochs());
            reported = s.examples();
          }
          if (reported > 0) {
            mean.accept(m.parameters(), reported);
          }
        }
        if (mean.count() == 0) {
          throw new IllegalArgumentException("no client has a training example (every customer has one basket?)");
        }
        global = fedAvg.step(global, mean.release());
      }
      m.setParameters(global);
      RankingMetrics metrics = RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), test, K, c);
      RankingMetrics withHistory = withHistory(m, clients, c);
      double spent = Double.NaN;
      if (dp) {
        spent = 0;
        for (int i = 0; i < clients.size(); i++) {
          spent = Math.max(spent, RdpAccountant.epsilon(dpConfigs[i].samplingRate(clients.get(i).split().train().size()),
              dpConfigs[i].noiseMultiplier(), steps[i], settings.delta(), EpsilonConversion.IMPROVED).epsilon());
        }
      }
      return new Run(epsilon, repeat, spent, dp ? zSum / clients.size() : 0, metrics, withHistory, null,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  private Run runFederationWide(List<ClientData> clients, List<HeldOutBasket> test, int c, double epsilon, int repeat,
      long t0) {
    CustomerDpPlan plan = CustomerDpFederation.plan(federation, clients, epsilon,
        settings.delta());
    log("federation-wide customer DP: %s, %d rounds%s", plan.round(), plan.rounds(),
        plan.histogram() == null ? "" : String.format(java.util.Locale.ROOT, ", item histogram k=%d z=%.2f",
            plan.histogram().itemsPerCustomer(), plan.histogram().noiseMultiplier()));
    try (InterestModel m = InterestModel.create(settings.model())) {
      int rounds = plan.rounds();
      int every = Math.max(1, rounds / 6);
      CustomerDpFederation.Outcome outcome = CustomerDpFederation.train(m, clients, federation, plan,
          new SecureRandom(), (r, g) -> {
        if (r % every == 0 || r == rounds) {
          m.setParameters(g);
          log("  round %d/%d: NDCG@%d %.4f (%.0f s)", r, rounds, K,
              RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), test, K, c).ndcg(),
              (System.nanoTime() - t0) / 1e9);
        }
      });
      m.setParameters(outcome.global());
      RankingMetrics metrics = RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), test, K, c);
      RankingMetrics transitions = outcome.transitions() == null ? null
          : RankingEvaluator.evaluateCases(outcome.transitions(), test, K, c);
      if (transitions != null) {
        log("  private transitions (head %d, k %d, z %.2f): NDCG@%d %.4f", federation.transitionHead(),
            plan.transitions().itemsPerCustomer(), plan.transitions().noiseMultiplier(), K, transitions.ndcg());
      }
      return new Run(epsilon, repeat, plan.spentAfter(plan.rounds()).epsilon(), plan.round().noiseMultiplier(),
          metrics, withHistory(m, clients, c), transitions, (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Every client scores its own held-out baskets with the model mixed into its customers' own histories (the
   * client's repeat rate, the plain gate); pooled over the clients, weighted by their held-out customers.
   */
  static RankingMetrics withHistory(InterestModel m, List<ClientData> clients, int c) {
    return withHistory(CaseScorer.ofTimed(m::score), clients, c);
  }

  /** {@link #withHistory(InterestModel, List, int)} for any explore scorer (popularity: the counter's baseline). */
  static RankingMetrics withHistory(CaseScorer explore, List<ClientData> clients, int c) {
    List<CustomerHistory> pooled = new ArrayList<>();
    clients.forEach(cd -> pooled.addAll(cd.split().train()));
    ItemPopularity novelty = ItemPopularity.of(pooled, c);
    List<ListEvaluation> parts = new ArrayList<>();
    for (ClientData cd : clients) {
      parts.add(RankingEvaluator.evaluateLists(new RepeatExploreScorer(explore, RepeatRate.of(cd.split().train())),
          cd.split().test(), K, c, novelty));
    }
    return ListEvaluation.combine(parts).metrics();
  }

  /** An epsilon as people write it: {@code 1}, {@code 0.5}, {@code inf}. */
  static String formatEpsilon(double epsilon) {
    return Double.isInfinite(epsilon) ? "inf"
        : String.format(java.util.Locale.ROOT, "%g", epsilon).replaceAll("\\.?0+$", "");
  }

  private void log(String format, Object... args) {
    if (progress != null) {
      progress.printf(java.util.Locale.ROOT, format + "%n", args);
    }
  }
}
