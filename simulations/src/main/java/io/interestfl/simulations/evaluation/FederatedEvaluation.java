package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.Aggregator;
import io.interestfl.aggregation.ModelAverage;
import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.CoOccurrenceBaseline;
import io.interestfl.interest.evaluation.HistoryMixScorer;
import io.interestfl.interest.evaluation.ItemPopularity;
import io.interestfl.interest.evaluation.ListEvaluation;
import io.interestfl.interest.evaluation.PopularityBaseline;
import io.interestfl.interest.evaluation.RankingEvaluator;
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
 *       the square root of the examples, or uniformly: {@link Settings#weighting()}).</li>
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
   * @param model         architecture and hyper-parameters shared by alone, centralized and federated
   * @param rounds        federated rounds
   * @param localEpochs   local epochs per round (alone and centralized train rounds x localEpochs epochs)
   * @param historyWeight weight of the customer's own history in {@code federated+history}
   * @param finetuneEpochs local epochs of {@code federated+finetune} (0: not run)
   * @param weighting     FedAvg client weights: {@code examples} (standard FedAvg), {@code sqrt} (square root
   *                      of the examples: small clients count more) or {@code uniform}
   * @param cohort        clients sampled uniformly (without replacement, seeded by the model's seed and the round)
   *                      to train in each federated round, as a coordinator samples its cohort; 0 = every client
   */
  public record Settings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
                         String weighting, int adaptEpochs, int cohort) {
    /** Every client in every round. */
    public Settings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
        String weighting, int adaptEpochs) {
      this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, adaptEpochs, 0);
    }

    /** Without the fine-tuning row. */
    public Settings(ModelConfig model, int rounds, int localEpochs, double historyWeight) {
      this(model, rounds, localEpochs, historyWeight, 0, "examples", 0);
    }

    /** Standard (example-weighted) FedAvg. */
    public Settings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs) {
      this(model, rounds, localEpochs, historyWeight, finetuneEpochs, "examples", 0);
    }

    /** Without the validated rows. */
    public Settings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
        String weighting) {
      this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, 0);
    }

    public Settings {
      Weighting.parse(weighting);   // refuses anything but examples, sqrt or uniform
      if (finetuneEpochs < 0) {
        throw new IllegalArgumentException("fine-tune epochs must be >= 0, got " + finetuneEpochs);
      }
      if (adaptEpochs < 0) {
        throw new IllegalArgumentException("adaptation epochs must be >= 0, got " + adaptEpochs);
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
      }
      if (localEpochs < 1) {
        throw new IllegalArgumentException("local epochs must be >= 1, got " + localEpochs);
      }
      if (cohort < 0) {
        throw new IllegalArgumentException("cohort must be >= 0 (0: every client), got " + cohort);
      }
    }
  }

  /** One method's figures per client and overall, and the seconds it took (training included). */
  public record MethodResult(String method, Map<String, ListEvaluation> clients, ListEvaluation overall,
                             double seconds) {}

  /** Federated model after a round: mean local loss and overall NDCG@10. */
  public record RoundTrace(int round, double meanLoss, double ndcg) {}

  private final Settings settings;
  private final PrintStream progress;

  public FederatedEvaluation(Settings settings, PrintStream progress) {
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

    // each client alone
    t0 = System.nanoTime();
    Map<String, ListEvaluation> alone = new LinkedHashMap<>();
    Map<String, ListEvaluation> aloneHistory = new LinkedHashMap<>();
    for (ClientData cd : clients) {
      try (InterestModel m = InterestModel.create(settings.model())) {
        TrainingStats s = m.train(cd.split().train(), epochs);
        alone.put(cd.name(), RankingEvaluator.evaluateLists(CaseScorer.ofTimed(m::score), cd.split().test(), K, c, novelty));
        aloneHistory.put(cd.name(), RankingEvaluator.evaluateLists(
            new HistoryMixScorer(CaseScorer.ofTimed(m::score), settings.historyWeight(), 1.0), cd.split().test(), K, c, novelty));
        log("alone %-16s %5d examples, %4d steps, %6.1f s, NDCG@10 %.4f", cd.name(), s.examples(), s.steps(),
            s.seconds(), alone.get(cd.name()).ndcg());
      }
    }
    results.put("alone", result("alone", alone, t0));
    results.put("alone+history", result("alone+history", aloneHistory, t0));
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
      TrainingStats s = m.train(pooled, epochs);
      log("centralized: %d examples, %d steps, %.1f s, mean loss %.4f", s.examples(), s.steps(), s.seconds(),
          s.meanLoss());
      results.put("centralized", evaluate("centralized", clients, novelty, t0, cd -> CaseScorer.ofTimed(m::score)));
    }

    // federated (FedAvg, in process)
    t0 = System.nanoTime();
    List<RoundTrace> trace = new ArrayList<>();
    try (InterestModel m = InterestModel.create(settings.model())) {
      float[] globalParams = m.parameters();
      // the clients send their models: FedAvg is their weighted mean (the coordinator's stages)
      AggregationPipeline fedAvg = AggregationPipeline.mean(Weighting.parse(settings.weighting()), new ModelAverage());
      for (int r = 1; r <= settings.rounds(); r++) {
        long examples = 0;
        double lossSum = 0;
        List<ClientData> cohort = cohort(clients, r);
        Aggregator round = fedAvg.open(globalParams.length, cohort.size());
        for (ClientData cd : cohort) {
          m.setParameters(globalParams);
          TrainingStats s = m.train(cd.split().train(), settings.localEpochs());
          if (s.examples() == 0) {
            continue;
          }
          round.accept(m.parameters(), s.examples());
          examples += s.examples();
          lossSum += s.meanLoss() * s.examples();
        }
        if (round.count() == 0) {
          if (cohort.size() < clients.size()) {
            log("round %2d: no client of the cohort of %d has a training example; the model stays", r, cohort.size());
            continue;
          }
          throw new IllegalArgumentException("no client has a training example (every customer has one basket?)");
        }
        System.arraycopy(fedAvg.step(globalParams, round.release()), 0, globalParams, 0, globalParams.length);
        m.setParameters(globalParams);
        double ndcg = overallNdcg(m, clients, c);
        trace.add(new RoundTrace(r, lossSum / examples, ndcg));
        log("round %2d: %d clients, mean local loss %.4f, federated NDCG@10 %.4f", r, cohort.size(), lossSum / examples,
            ndcg);
      }
      if (trace.isEmpty()) {
        // every sampled cohort was without examples: the federated model would be the untrained one
        throw new IllegalArgumentException("no cohort of " + settings.cohort() + " clients had a training example in "
            + settings.rounds() + " rounds (every customer has one basket?)");
      }
      results.put("federated", evaluate("federated", clients, novelty, t0, cd -> CaseScorer.ofTimed(m::score)));
      long t1 = System.nanoTime();
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

  /** Round {@code round}'s cohort: every client, or {@code cohort} of them drawn without replacement. */
  List<ClientData> cohort(List<ClientData> clients, int round) {
    int n = settings.cohort();
    if (n == 0 || n >= clients.size()) {
      return clients;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(settings.model().seed() * 0x9E3779B97F4A7C15L + round);
    List<ClientData> pool = new ArrayList<>(clients);
    for (int i = 0; i < n; i++) {   // partial Fisher-Yates: the first n are a uniform sample
      java.util.Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
    }
    return List.copyOf(pool.subList(0, n));
  }

  private double overallNdcg(InterestModel m, List<ClientData> clients, int c) {
    List<HeldOutBasket> all = new ArrayList<>();
    for (ClientData cd : clients) {
      all.addAll(cd.split().test());
    }
    return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), all, K, c).ndcg();
  }

  private MethodResult evaluate(String name, List<ClientData> clients, ItemPopularity novelty, long t0,
                                Function<ClientData, CaseScorer> scorer) {
    Map<String, ListEvaluation> per = new LinkedHashMap<>();
    for (ClientData cd : clients) {
      per.put(cd.name(), RankingEvaluator.evaluateLists(scorer.apply(cd), cd.split().test(), K,
          settings.model().catalogueSize(), novelty));
    }
    MethodResult r = result(name, per, t0);
    log("%-18s %s (%.1f s)", name, r.overall(), r.seconds());
    return r;
  }

  private static MethodResult result(String name, Map<String, ListEvaluation> per, long t0) {
    return new MethodResult(name, per, ListEvaluation.combine(new ArrayList<>(per.values())),
        (System.nanoTime() - t0) / 1e9);
  }

  private void log(String fmt, Object... args) {
    if (progress != null) {
      progress.println(String.format(Locale.ROOT, fmt, args));
      progress.flush();
    }
  }
}
