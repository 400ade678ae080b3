package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.serving.JsonOutput;
import io.interestfl.simulations.demo.DataLocation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code interestfl simulate privacy-sweep}: customer-level DP against utility in an in-process federation of
 * Online Retail countries; writes a CSV, a PNG and a Markdown report.
 */
@Command(name = "privacy-sweep", mixinStandardHelpOptions = true,
    description = "Sweeps the customers' epsilon of user-level DP-SGD in an in-process federation of Online Retail "
        + "countries and scores the federated model (full-ranking HR@10, NDCG@10) against the non-private model and "
        + "the popularity baseline; writes privacy-sweep.csv, privacy-sweep.png and report.md.")
public final class PrivacySweepCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", description = "Online Retail CSV (gzip or plain); default: $INTERESTFL_DATA or "
      + "../shared/data/online-retail/online_retail.csv.gz")
  Path data;
  @Option(names = "--clients", split = ",", defaultValue = "all",
      description = "the countries that take part, one client each, or 'all' (default: ${DEFAULT-VALUE})")
  List<String> clients;
  @Option(names = "--min-customers", defaultValue = "10",
      description = "countries with fewer customers are pooled into one client 'other' (default: ${DEFAULT-VALUE})")
  int minCustomers;
  @Option(names = "--epsilons", split = ",", defaultValue = "3,8,Infinity",
      description = "target epsilons of each client's customers over the whole federation; Infinity = the "
          + "non-private reference (default: ${DEFAULT-VALUE})")
  List<Double> epsilons;
  @Option(names = "--repeats", defaultValue = "2", description = "runs per private epsilon; the non-private reference runs once (default: ${DEFAULT-VALUE})")
  int repeats;
  @Option(names = "--rounds", defaultValue = "3", description = "federated rounds (default: ${DEFAULT-VALUE})")
  int rounds;
  @Option(names = "--local-epochs", defaultValue = "1", description = "local epochs per round (default: ${DEFAULT-VALUE})")
  int localEpochs;
  @Option(names = "--clip-norm", defaultValue = "0.1", description = "per-customer L2 bound C (default: ${DEFAULT-VALUE})")
  double clipNorm;
  @Option(names = "--customers-per-step", defaultValue = "60",
      description = "expected customers per DP-SGD step (default: ${DEFAULT-VALUE})")
  double customersPerStep;
  @Option(names = "--dp-learning-rate", defaultValue = "0.02",
      description = "Adam learning rate under DP-SGD (default: ${DEFAULT-VALUE})")
  double dpLearningRate;
  @Option(names = "--learning-rate", defaultValue = "0.002",
      description = "Adam learning rate of the non-private reference (default: ${DEFAULT-VALUE})")
  double learningRate;
  @Option(names = "--mode", defaultValue = "federation",
      description = "federation: one noise for the whole federation (each round every client samples its customers "
          + "with one rate, sums their clipped contributions and adds its share of the noise; accounted over all "
          + "customers); per-node: every client runs DP-SGD calibrated for its own customers alone "
          + "(default: ${DEFAULT-VALUE})")
  String mode;
  @Option(names = "--private-rounds", defaultValue = "50",
      description = "federation mode: rounds of every private run, one noisy step each; --rounds is then the "
          + "non-private reference's (default: ${DEFAULT-VALUE})")
  int privateRounds;
  @Option(names = "--customers-per-round", defaultValue = "512",
      description = "federation mode: expected sampled customers per round over all clients (default: ${DEFAULT-VALUE})")
  double customersPerRound;
  @Option(names = "--histogram-items", defaultValue = "20",
      description = "federation mode: distinct recent items each customer counts in the private item histogram that "
          + "starts the model at popularity; 0 = no histogram (default: ${DEFAULT-VALUE})")
  int histogramItems;
  @Option(names = "--histogram-noise-multiplier", defaultValue = "5",
      description = "federation mode: noise multiplier of the item histogram (default: ${DEFAULT-VALUE})")
  double histogramNoise;
  @Option(names = "--transition-head", defaultValue = "100",
      description = "federation mode: the most frequent items (by the private histogram) whose item-to-item "
          + "transitions are released once under the same budget; 0 = none (default: ${DEFAULT-VALUE})")
  int transitionHead;
  @Option(names = "--transition-pairs", defaultValue = "40",
      description = "federation mode: distinct recent transitions each customer counts (default: ${DEFAULT-VALUE})")
  int transitionPairs;
  @Option(names = "--transition-noise-multiplier", defaultValue = "2",
      description = "federation mode: noise multiplier of the transitions' release (default: ${DEFAULT-VALUE})")
  double transitionNoise;
  @Option(names = "--server-optimizer", defaultValue = "fedadam",
      description = "federation mode: server optimizer, fedavg, fedavgm, fedadam or fedyogi (default: ${DEFAULT-VALUE})")
  String serverOptimizer;
  @Option(names = "--server-learning-rate", defaultValue = "0.003",
      description = "federation mode: server learning rate (default: ${DEFAULT-VALUE})")
  double serverLearningRate;
  @Option(names = "--server-tau", defaultValue = "1e-4",
      description = "federation mode: adaptivity tau of fedadam/fedyogi (default: ${DEFAULT-VALUE})")
  double serverTau;
  @Option(names = "--examples-per-customer", defaultValue = "32",
      description = "a customer's most recent training examples that make their contribution (default: ${DEFAULT-VALUE})")
  int examplesPerCustomer;
  @Option(names = "--delta", defaultValue = "1e-5", description = "delta of every guarantee (default: ${DEFAULT-VALUE})")
  double delta;
  @Option(names = "--model", defaultValue = "attention",
      description = "attention, lstm, gru or sasrec (default: ${DEFAULT-VALUE}: 4x cheaper per-customer gradients than lstm)")
  String model;
  @Option(names = "--seed", defaultValue = "42",
      description = "seed of the initial weights, shared by every run (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})")
  int threads;
  @Option(names = "--out", defaultValue = "run/privacy-sweep",
      description = "folder for privacy-sweep.csv, privacy-sweep.png, report.md and report.html (default: ${DEFAULT-VALUE})")
  Path out;
  @Option(names = "--json", description = JsonOutput.HELP)
  boolean json;

  @Override
  public Integer call() {
    try (JsonOutput output = JsonOutput.open(json)) {
      return run(output.document(), output.progress());
    }
  }

  private Integer run(PrintStream stdout, PrintStream progress) {
    Path file = data != null ? data : DataLocation.onlineRetail();
    EvaluationData all = EvaluationData.onlineRetail(file, OnlineRetailLoader.Format.parse("auto"), false, "country",
        minCustomers);
    EvaluationData d = select(all, clients);
    InterestModel.configureThreads(threads);
    ModelConfig cfg = ModelConfig.defaults(model, d.catalogue().size()).withLearningRate(learningRate).withSeed(seed);
    PrivacySweep.Settings settings = new PrivacySweep.Settings(cfg, dpLearningRate, rounds, localEpochs, clipNorm,
        customersPerStep, delta, epsilons, repeats);
    progress.printf(Locale.ROOT, "clients %s; %s; %d rounds x %d local epochs, C %s, %s customers/step, DP lr %s%n",
        d.clients().stream().map(c -> c.name() + " (" + c.split().train().size() + ")").toList(), cfg, rounds,
        localEpochs, clipNorm, customersPerStep, dpLearningRate);
    CustomerDpFederation.Settings federation = switch (mode) {
      case "federation" -> new CustomerDpFederation.Settings(privateRounds, customersPerRound, clipNorm, examplesPerCustomer,
          histogramItems, histogramNoise, transitionHead, transitionPairs, transitionNoise, serverOptimizer, serverLearningRate, serverTau);
      case "per-node" -> null;
      default -> throw new IllegalArgumentException("--mode must be federation or per-node, got '" + mode + "'");
    };
    PrivacySweep.Result result = new PrivacySweep(settings, federation, progress).run(d);
    String title = String.format(Locale.ROOT, "%d clients, %d customers, %s, %d rounds x %d epochs, C %s, delta %s",
        result.clients(), result.trainingCustomers(), model, rounds, localEpochs, clipNorm, delta);
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("privacy-sweep.csv"), csv(result));
      PrivacySweepPlot.write(result, title, out.resolve("privacy-sweep.png"));
      String markdown = report(result, title, d);
      Files.writeString(out.resolve("report.md"), markdown);
      new io.interestfl.simulations.report.HtmlReport("Privacy against utility").command(spec)
          .markdown(markdown, out).write(out.resolve("report.html"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
    }
    if (json) {
      stdout.println(toJson(result).encodePrettily());
    } else {
      stdout.print(table(result));
      stdout.println("wrote " + out.resolve("privacy-sweep.csv") + ", privacy-sweep.png, report.md and report.html");
    }
    return 0;
  }

  /** The named clients of {@code all} ("all": every one); an unknown name is an error that lists the known ones. */
  static EvaluationData select(EvaluationData all, List<String> names) {
    if (names.size() == 1 && names.get(0).equals("all")) {
      return all;
    }
    Set<String> wanted = Set.copyOf(names);
    List<String> known = all.clients().stream().map(ClientData::name).toList();
    List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("--clients: no client " + unknown + "; the clients are " + known);
    }
    return new EvaluationData(all.catalogue(), all.clients().stream().filter(c -> wanted.contains(c.name())).toList(),
        all.summary(), all.report());
  }

  static String csv(PrivacySweep.Result r) {
    StringBuilder b = new StringBuilder("target_epsilon,repeat,spent_epsilon,mean_noise_multiplier,hr_at_10,ndcg_at_10,"
        + "mrr,test_customers,seconds,hr_at_10_with_history,ndcg_at_10_with_history,ndcg_at_10_private_transitions\n");
    for (PrivacySweep.Run run : r.runs()) {
      b.append(String.format(Locale.ROOT, "%s,%d,%s,%.6f,%.6f,%.6f,%.6f,%d,%.2f,%.6f,%.6f,%s%n",
          run.isPrivate() ? Double.toString(run.targetEpsilon()) : "inf", run.repeat(),
          run.isPrivate() ? String.format(Locale.ROOT, "%.6f", run.spentEpsilon()) : "", run.meanNoiseMultiplier(),
          run.metrics().hitRate(), run.metrics().ndcg(), run.metrics().mrr(), run.metrics().users(), run.seconds(),
          run.withHistory().hitRate(), run.withHistory().ndcg(),
          run.transitions() == null ? "" : String.format(Locale.ROOT, "%.6f", run.transitions().ndcg())));
    }
    return b.toString();
  }

  static String table(PrivacySweep.Result r) {
    StringBuilder b = new StringBuilder();
    b.append("| epsilon | run | spent epsilon | z | HR@10 | NDCG@10 | NDCG@10 with own history | NDCG@10 private "
        + "transitions | seconds |\n|---|---|---|---|---|---|---|---|---|\n");
    b.append(String.format(Locale.ROOT, "| untrained | | | | %.4f | %.4f | | | |%n", r.untrained().hitRate(), r.untrained().ndcg()));
    b.append(String.format(Locale.ROOT, "| popularity | | | | %.4f | %.4f | %.4f | | |%n", r.popularity().hitRate(),
        r.popularity().ndcg(), r.popularityWithHistory().ndcg()));
    for (PrivacySweep.Run run : r.runs()) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.4f | %.4f | %.4f | %s | %.0f |%n",
          run.isPrivate() ? PrivacySweep.formatEpsilon(run.targetEpsilon()) : "∞ (not private)",
          run.repeat(), run.isPrivate() ? String.format(Locale.ROOT, "%.3f", run.spentEpsilon()) : "",
          run.isPrivate() ? String.format(Locale.ROOT, "%.2f", run.meanNoiseMultiplier()) : "",
          run.metrics().hitRate(), run.metrics().ndcg(), run.withHistory().ndcg(),
          run.transitions() == null ? "" : String.format(Locale.ROOT, "%.4f", run.transitions().ndcg()), run.seconds()));
    }
    return b.toString();
  }

  private String report(PrivacySweep.Result r, String title, EvaluationData d) {
    List<String> clientLines = new ArrayList<>();
    for (ClientData c : d.clients()) {
      clientLines.add("- " + c.name() + ": " + c.split().train().size() + " training customers, "
          + c.split().test().size() + " held-out baskets");
    }
    return "# Privacy against utility\n\n" + title + "\n\n"
        + (mode.equals("federation")
            ? "Federation-wide customer DP: a private item histogram starts the model at popularity, then " + privateRounds
                + " rounds in which every client samples its customers at one rate (" + customersPerRound
                + " expected per round over the federation), sums their clipped contributions and adds its share of "
                + "the noise; the sum over the clients / qN goes to " + serverOptimizer + " (learning rate "
                + serverLearningRate + "); accounted over all customers (delta " + delta + ", improved RDP conversion). "
                + "The non-private reference is ordinary FedAvg for " + rounds + " rounds. "
            : "Customer-level DP-SGD in every client, each calibrated so that all of its rounds together stay within the "
                + "target epsilon for its own customers (delta " + delta + ", improved RDP conversion); FedAvg with "
                + "weight 1 per client under DP (a private node does not reveal its example count), example-weighted "
                + "without. ")
        + "'With own history': every client serves the model mixed with its customers' own histories (repeat/explore, "
        + "local data only). Every "
        + "run starts from the same initial weights (seed " + seed + "); the noise is not seeded. Scores: full "
        + "ranking over " + d.catalogue().size() + " items, each customer's last basket held out.\n\n"
        + String.join("\n", clientLines) + "\n\n" + table(r) + "\n![NDCG@10 against epsilon](privacy-sweep.png)\n\n"
        + "Command: `./interestfl simulate privacy-sweep --mode " + mode + " --private-rounds " + privateRounds
        + " --customers-per-round " + customersPerRound + " --histogram-items " + histogramItems
        + " --histogram-noise-multiplier " + histogramNoise + " --transition-head " + transitionHead
        + " --transition-pairs " + transitionPairs + " --transition-noise-multiplier " + transitionNoise
        + " --server-optimizer " + serverOptimizer
        + " --server-learning-rate " + serverLearningRate + " --server-tau " + serverTau + " --examples-per-customer "
        + examplesPerCustomer + " --clients " + String.join(",", clients) + " --epsilons "
        + String.join(",", epsilons.stream().map(e -> e.isInfinite() ? "Infinity" : e.toString()).toList())
        + " --repeats " + repeats + " --rounds " + rounds + " --local-epochs " + localEpochs + " --clip-norm " + clipNorm
        + " --customers-per-step " + customersPerStep + " --dp-learning-rate " + dpLearningRate + " --learning-rate "
        + learningRate + " --delta " + delta + " --min-customers " + minCustomers + " --model " + model + " --seed " + seed
        + " --threads " + threads + (data != null ? " --data " + data : "") + "`\n";
  }

  static JsonObject toJson(PrivacySweep.Result r) {
    JsonArray runs = new JsonArray();
    for (PrivacySweep.Run run : r.runs()) {
      JsonObject o = new JsonObject().put("targetEpsilon", run.isPrivate() ? run.targetEpsilon() : null)
          .put("private", run.isPrivate()).put("repeat", run.repeat())
          .put("hr", run.metrics().hitRate()).put("ndcg", run.metrics().ndcg()).put("mrr", run.metrics().mrr())
          .put("ndcgWithHistory", run.withHistory().ndcg())
          .put("ndcgPrivateTransitions", run.transitions() == null ? null : run.transitions().ndcg())
          .put("seconds", run.seconds());
      if (run.isPrivate()) {
        o.put("spentEpsilon", run.spentEpsilon()).put("meanNoiseMultiplier", run.meanNoiseMultiplier());
      }
      runs.add(o);
    }
    return new JsonObject().put("clients", r.clients()).put("trainingCustomers", r.trainingCustomers())
        .put("testCustomers", r.testCustomers())
        .put("untrained", new JsonObject().put("hr", r.untrained().hitRate()).put("ndcg", r.untrained().ndcg()))
        .put("popularity", new JsonObject().put("hr", r.popularity().hitRate()).put("ndcg", r.popularity().ndcg())
            .put("ndcgWithHistory", r.popularityWithHistory().ndcg()))
        .put("runs", runs);
  }
}
