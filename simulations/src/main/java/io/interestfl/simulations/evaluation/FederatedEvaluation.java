package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.CoOccurrenceBaseline;
import io.interestfl.interest.evaluation.HistoryMixScorer;
import io.interestfl.interest.evaluation.ItemPopularity;
import io.interestfl.interest.evaluation.ListEvaluation;
import io.interestfl.interest.evaluation.PopularityBaseline;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RepeatExploreScorer;
import io.interestfl.interest.evaluation.RepeatRate;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.LocalAdaptation;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.interest.model.TrainingStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The comparison behind {@code interestfl evaluate}, in one process: every method is scored with full
 * ranking on every client's held-out last baskets, per client and overall.
 *
 * <ol>
 *   <li>{@code popularity}: the client's own purchase counts (what a merchant has alone).</li>
 *   <li>{@code popularity-global}: purchase counts pooled over all clients.</li>
 *   <li>{@code co-occurrence}: first-order Markov over consecutive baskets, pooled counts.</li>
 *   <li>{@code own-history}: the customer's own past items by frequency, then local popularity.</li>
 *   <li>{@code alone}: the interest model trained on the client's data only, rounds x local epochs epochs.</li>
 *   <li>{@code alone+history}: that model mixed with the customer's own history as in
 *       {@code federated+history} (the fair comparison for it).</li>
 *   <li>{@code centralized}: the same model trained on the pooled data for rounds x local epochs epochs.</li>
 *   <li>{@code federated}: FedAvg in process: each round every client with training examples starts from
 *       the global parameters (Adam state reset, as {@code ClientNode} does), trains local epochs, and
 *       the new global model is the example-weighted mean of the clients' parameters (or weighted by
 *       the square root of the examples, or uniformly: {@link EvaluationSettings#weighting()}).</li>
 *   <li>{@code federated+history}: the federated model's softmax mixed with the customer's own purchase
 *       frequencies ({@link HistoryMixScorer}, weight {@code historyWeight}, fixed in advance, not tuned
 *       on the test baskets).</li>
 *   <li>{@code alone-validated} and {@code federated+adapted} (when {@code adaptEpochs > 0}): alone with its
 *       epoch count, and the final federated model fine-tuned locally for 0..adaptEpochs epochs, each chosen
 *       on the client's validation baskets (every customer's last training basket; {@link LocalAdaptation}).</li>
 *   <li>{@code federated+finetune} (when {@code finetuneEpochs > 0}): each client personalises the final
 *       federated model with {@code finetuneEpochs} epochs on its own data (Adam reset) and is scored with
 *       its own copy; the global model is unchanged.</li>
 * </ol>
 * Novelty is measured against the pooled training data for every method.
 */
public final class FederatedEvaluation {
  public static final int K = 10;

  /**
   * One method's figures per client and overall, the seconds it took (training included), and the epochs or rounds
   * chosen on validation (per client for {@code alone}, under {@link #ALL} for a shared model; empty with fixed
   * counts).
   */
  public record MethodResult(String method, Map<String, ListEvaluation> clients, ListEvaluation overall,
                             double seconds, Map<String, Integer> chosen) {
    public MethodResult {
      chosen = Map.copyOf(chosen);
    }
  }

  /** Key of {@link MethodResult#chosen()} for a model shared by every client. */
  public static final String ALL = "all";

  /**
   * Federated model after a round: mean local loss, validation NDCG@10 (NaN with fixed counts) and the test
   * baskets' NDCG@10 (reported, never used to choose).
   */
  public record RoundTrace(int round, double meanLoss, double validationNdcg, double ndcg) {}

  private final EvaluationSettings settings;
  private final PrintStream progress;

  public FederatedEvaluation(EvaluationSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public EvaluationReport run(EvaluationData data) {
    List<ClientData> clients = data.clients();
    int c = data.catalogue().size();
    if (settings.model().catalogueSize() != c) {
      throw new IllegalArgumentException("model catalogue size " + settings.model().catalogueSize()
          + " differs from the data's " + c);
    }
    List<CustomerHistory> pooled = new ArrayList<>();
    for (ClientData cd : clients) {
      pooled.addAll(cd.split().train());
    }
    ItemPopularity novelty = ItemPopularity.of(pooled, c);
    Map<String, MethodResult> results = new LinkedHashMap<>();
    int epochs = settings.rounds() * settings.localEpochs();
    // the population's repeat rate: two counts per client, summed as the coordinator would sum them
    RepeatRate repeatRate = RepeatRate.of(pooled);

    long t0 = System.nanoTime();
    results.put("popularity", evaluate("popularity", clients, novelty, t0,
        cd -> CaseScorer.of(PopularityBaseline.fromHistories(cd.split().train(), c))));
    t0 = System.nanoTime();
    CaseScorer global = CaseScorer.of(PopularityBaseline.fromHistories(pooled, c));
    results.put("popularity-global", evaluate("popularity-global", clients, novelty, t0, cd -> global));
    t0 = System.nanoTime();
    CoOccurrenceBaseline markov = CoOccurrenceBaseline.fromHistories(pooled, c);
    results.put("co-occurrence", evaluate("co-occurrence", clients, novelty, t0, cd -> markov));
    t0 = System.nanoTime();
    results.put("own-history", evaluate("own-history", clients, novelty, t0,
        cd -> new HistoryMixScorer(CaseScorer.of(PopularityBaseline.fromHistories(cd.split().train(), c)), 1.0, 1.0)));

    // each client alone: its own network, inside the head with its own repeat rate and gate
    t0 = System.nanoTime();
    Map<String, ListEvaluation> alone = new LinkedHashMap<>();
    Map<String, ListEvaluation> aloneNetwork = new LinkedHashMap<>();
    Map<String, ListEvaluation> aloneHistory = new LinkedHashMap<>();
    Map<String, Integer> aloneChosen = new LinkedHashMap<>();
    for (ClientData cd : clients) {
      try (InterestModel m = InterestModel.create(settings.model())) {
        RepeatRate own = RepeatRate.of(cd.split().train());
        ValidatedFit fit = ValidatedFit.train(m, List.of(cd), epochs, settings.patience());
        CaseScorer network = CaseScorer.ofTimed(m::score);
        RepeatExploreScorer.Gate gate = RepeatExploreScorer.choose(network, own, fit.validation(), c);
        alone.put(cd.name(), RankingEvaluator.evaluateLists(gate.apply(network, own), cd.split().test(), K, c, novelty));
        aloneNetwork.put(cd.name(), RankingEvaluator.evaluateLists(network, cd.split().test(), K, c, novelty));
        aloneHistory.put(cd.name(), RankingEvaluator.evaluateLists(
            new HistoryMixScorer(network, settings.historyWeight(), 1.0), cd.split().test(), K, c, novelty));
        fit.chosenInto(aloneChosen, cd.name());
        log("alone %-16s %s, NDCG@10 %.4f (network %.4f, gate %s)", cd.name(), fit, alone.get(cd.name()).ndcg(),
            aloneNetwork.get(cd.name()).ndcg(), gate);
      }
    }
    results.put("alone", result("alone", alone, t0, aloneChosen));
    results.put("alone-network", result("alone-network", aloneNetwork, t0, aloneChosen));
    results.put("alone+history", result("alone+history", aloneHistory, t0, aloneChosen));
    if (settings.adaptEpochs() > 0) {
      // The fair comparator for federated+adapted: alone, with its epochs (1..rounds x local epochs)
      // chosen on the client's own validation baskets in the same way.
      t0 = System.nanoTime();
      Map<String, ListEvaluation> aloneValidated = new LinkedHashMap<>();
      for (ClientData cd : clients) {
        try (InterestModel m = InterestModel.create(settings.model())) {
          float[] init = m.parameters();
          int best = LocalAdaptation.validatedEpochs(m, init, cd.split().train(), 1, epochs, epochs);
          m.setParameters(init);
          m.train(cd.split().train(), best);
          aloneValidated.put(cd.name(), RankingEvaluator.evaluateLists(CaseScorer.ofTimed(m::score), cd.split().test(), K, c, novelty));
          log("alone-validated %-16s %2d epochs, NDCG@10 %.4f", cd.name(), best, aloneValidated.get(cd.name()).ndcg());
        }
      }
      results.put("alone-validated", result("alone-validated", aloneValidated, t0));
    }

    // centralized
    t0 = System.nanoTime();
    try (InterestModel m = InterestModel.create(settings.model())) {
      ValidatedFit fit = ValidatedFit.train(m, clients, epochs, settings.patience());
      log("centralized: %s", fit);
      Map<String, Integer> chosen = new LinkedHashMap<>();
      fit.chosenInto(chosen, ALL);
      results.put("centralized", withHead("centralized", m, repeatRate, fit.validation(), clients, novelty, chosen));
      results.put("centralized-network", evaluate("centralized-network", clients, novelty, t0,
          cd -> CaseScorer.ofTimed(m::score), chosen));
    }

    // federated (FedAvg, in process, through the coordinator's aggregation stages)
    t0 = System.nanoTime();
    List<RoundTrace> trace = new ArrayList<>();
    try (InterestModel m = InterestModel.create(settings.model())) {
      List<HeldOutBasket> validation = new ArrayList<>();
      List<List<CustomerHistory>> train = new ArrayList<>();
      List<String> names = new ArrayList<>();
      boolean validated = settings.patience() > 0 && ValidatedFit.split(clients, train, validation)
          && hasExamples(m, train);   // holding out validation may leave nothing to train on (tiny logs)
      if (!validated) {
        validation.clear();
        train.clear();
        for (ClientData cd : clients) {
          train.add(cd.split().train());
        }
      }
      for (ClientData cd : clients) {
        names.add(cd.name());
      }
      FederatedTraining fed = new FederatedTraining(m, names, train, settings);
      List<HeldOutBasket> test = testCases(clients);
      EarlyStopping.Outcome out = EarlyStopping.run(settings.rounds(), validated ? settings.patience() : 0, r -> {
        float[] p = fed.round(r);
        FederatedTraining.RoundStats st = fed.lastRound();
        if (st == null) {
          log("round %2d: no client of the cohort has a training example; the model stays", r);
          return p;
        }
        double val = validated ? ndcg(m, validation, c) : Double.NaN;
        double ndcg = ndcg(m, test, c);
        trace.add(new RoundTrace(r, st.meanLoss(), val, ndcg));
        log("round %2d: %d clients, mean local loss %.4f, validation NDCG@10 %.4f, federated NDCG@10 %.4f", r,
            st.clients(), st.meanLoss(), val, ndcg);
        return p;
      }, p -> {
        m.setParameters(p);
        return ndcg(m, validation, c);
      });
      if (trace.isEmpty()) {
        // every sampled cohort was without examples: the federated model would be the untrained one
        throw new IllegalArgumentException("no cohort of " + settings.cohort() + " clients had a training example in "
            + settings.rounds() + " rounds (every customer has one basket?)");
      }
      float[] globalParams = out.params();
      m.setParameters(globalParams);
      Map<String, Integer> chosen = new LinkedHashMap<>();
      if (validated) {
        chosen.put(ALL, out.best());
        log("federated: %d rounds chosen on validation (NDCG@10 %.4f), %d run", out.best(), out.bestScore(), out.run());
      }
      results.put("federated", withHead("federated", m, repeatRate, validated ? validation : List.of(), clients,
          novelty, chosen));
      long t1 = System.nanoTime();
      results.put("federated-network", evaluate("federated-network", clients, novelty, t1,
          cd -> CaseScorer.ofTimed(m::score), chosen));
      t1 = System.nanoTime();
      results.put("federated+history", evaluate("federated+history", clients, novelty, t1,
          cd -> new HistoryMixScorer(CaseScorer.ofTimed(m::score), settings.historyWeight(), 1.0)));
      if (settings.finetuneEpochs() > 0) {
        long t2 = System.nanoTime();
        Map<String, ListEvaluation> tuned = new LinkedHashMap<>();
        for (ClientData cd : clients) {
          m.setParameters(globalParams);
          m.train(cd.split().train(), settings.finetuneEpochs());
          tuned.put(cd.name(), RankingEvaluator.evaluateLists(CaseScorer.ofTimed(m::score), cd.split().test(), K, c, novelty));
        }
        m.setParameters(globalParams);
        MethodResult r = result("federated+finetune", tuned, t2);
        log("%-18s %s (%.1f s)", r.method(), r.overall(), r.seconds());
        results.put("federated+finetune", r);
      }
      if (settings.adaptEpochs() > 0) {
        // Local adaptation as a merchant would run it: fine-tune the final global model on its own data
        // for as many epochs (0 = keep the global model) as score best on its own validation baskets.
        long t3 = System.nanoTime();
        Map<String, ListEvaluation> adapted = new LinkedHashMap<>();
        for (ClientData cd : clients) {
          int best = LocalAdaptation.adapt(m, globalParams, cd.split().train(), settings.adaptEpochs());
          adapted.put(cd.name(), RankingEvaluator.evaluateLists(CaseScorer.ofTimed(m::score), cd.split().test(), K, c, novelty));
          log("federated+adapted %-16s %2d epochs, NDCG@10 %.4f", cd.name(), best, adapted.get(cd.name()).ndcg());
        }
        m.setParameters(globalParams);
        MethodResult r = result("federated+adapted", adapted, t3);
        log("%-18s %s (%.1f s)", r.method(), r.overall(), r.seconds());
        results.put("federated+adapted", r);
      }
    }
    return new EvaluationReport(data, settings, results, trace);
  }

  private static boolean hasExamples(InterestModel m, List<List<CustomerHistory>> train) {
    for (List<CustomerHistory> client : train) {
      if (m.exampleCount(client) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Round {@code round}'s cohort: every client, or {@code cohort} of them drawn without replacement. */
  List<ClientData> cohort(List<ClientData> clients, int round) {
    List<ClientData> out = new ArrayList<>();
    for (int i : io.interestfl.simulations.federation.Cohorts.draw(clients.size(), settings.cohort(), settings.model().seed(), round)) {
      out.add(clients.get(i));
    }
    return List.copyOf(out);
  }

  /**
   * {@code m} as the evaluation scores it, the row {@code name} ({@code centralized}, {@code federated}; {@code alone}
   * does the same per client): its network inside the repeat/explore head ({@link RepeatExploreScorer}: per customer
   * and step, rebuy from the own history or explore the catalogue), the gate chosen on the validation cases
   * ({@code Gate.PLAIN} without them); reported in {@code chosen} as {@code gatePercent} (100 x scale) and
   * {@code gateMasked} (1 or 0). The {@code *-network} rows are the network alone.
   */
  private MethodResult withHead(String name, InterestModel m, RepeatRate rate, List<HeldOutBasket> validation,
      List<ClientData> clients, ItemPopularity novelty, Map<String, Integer> chosen) {
    long t0 = System.nanoTime();
    CaseScorer model = CaseScorer.ofTimed(m::score);
    RepeatExploreScorer.Choice choice = RepeatExploreScorer.chooseScored(model, rate, validation,
        settings.model().catalogueSize());
    RepeatExploreScorer.Gate gate = choice.gate();
    Map<String, Integer> withGate = new LinkedHashMap<>(chosen);
    if (!validation.isEmpty()) {
      withGate.put("gatePercent", (int) Math.round(100 * gate.scale()));
      withGate.put("gateMasked", gate.masked() ? 1 : 0);
      log("%s: repeat/explore gate %s chosen on validation (NDCG@10 %.4f)", name, gate, choice.ndcg());
    }
    return evaluate(name, clients, novelty, t0, cd -> gate.apply(model, rate), withGate);
  }

  private static List<HeldOutBasket> testCases(List<ClientData> clients) {
    List<HeldOutBasket> all = new ArrayList<>();
    for (ClientData cd : clients) {
      all.addAll(cd.split().test());
    }
    return all;
  }

  static double ndcg(InterestModel m, List<HeldOutBasket> cases, int c) {
    return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), cases, K, c).ndcg();
  }

  private MethodResult evaluate(String name, List<ClientData> clients, ItemPopularity novelty, long t0,
                                Function<ClientData, CaseScorer> scorer) {
    return evaluate(name, clients, novelty, t0, scorer, Map.of());
  }

  private MethodResult evaluate(String name, List<ClientData> clients, ItemPopularity novelty, long t0,
                                Function<ClientData, CaseScorer> scorer, Map<String, Integer> chosen) {
    Map<String, ListEvaluation> per = new LinkedHashMap<>();
    for (ClientData cd : clients) {
      per.put(cd.name(), RankingEvaluator.evaluateLists(scorer.apply(cd), cd.split().test(), K,
          settings.model().catalogueSize(), novelty));
    }
    MethodResult r = result(name, per, t0, chosen);
    log("%-18s %s (%.1f s)", name, r.overall(), r.seconds());
    return r;
  }

  private static MethodResult result(String name, Map<String, ListEvaluation> per, long t0) {
    return result(name, per, t0, Map.of());
  }

  private static MethodResult result(String name, Map<String, ListEvaluation> per, long t0,
      Map<String, Integer> chosen) {
    return new MethodResult(name, per, ListEvaluation.combine(new ArrayList<>(per.values())),
        (System.nanoTime() - t0) / 1e9, chosen);
  }

  private void log(String fmt, Object... args) {
    if (progress != null) {
      progress.println(String.format(Locale.ROOT, fmt, args));
      progress.flush();
    }
  }
}
