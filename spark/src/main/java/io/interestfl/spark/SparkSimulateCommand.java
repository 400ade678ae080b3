package io.interestfl.spark;

import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.EventLog;
import io.interestfl.interest.data.EventLogFormat;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.serving.JsonOutput;
import io.interestfl.simulations.demo.DataLocation;
import io.interestfl.simulations.evaluation.ClientData;
import io.interestfl.simulations.evaluation.EvaluateCommand;
import io.interestfl.simulations.evaluation.EvaluationData;
import io.interestfl.simulations.evaluation.ServerStep;
import io.interestfl.simulations.federation.CohortExecutor;
import io.interestfl.simulations.federation.FederatedSimulation;
import io.interestfl.simulations.federation.InProcessCohort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate spark}: a federation of many virtual clients whose rounds run on Apache Spark (or in process, or
 * both for a comparison in one run), through {@link FederatedSimulation}: the same clients, cohorts, round maths and
 * ledger whichever executor trains them.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = {"Simulate a federation of many virtual clients whose rounds run on Apache Spark: the global model is "
        + "broadcast, each partition's cohort members train with the client node's code, their updates are combined "
        + "with treeAggregate into the round's aggregator, and the server optimizer and privacy ledger run on the "
        + "driver, as in process. --executor both runs the same federation in process too and compares.",
        "Under spark-submit the submitted master wins over --master (docs/researcher-guide.md)."})
public final class SparkSimulateCommand implements Callable<Integer> {
  @Option(names = "--data", description = "input file (gzip or plain); default: the shared Online Retail file")
  Path data;
  @Option(names = "--format", defaultValue = "auto",
      description = "online-retail, events or auto (detected from the header) (default: ${DEFAULT-VALUE})")
  String format;
  @Option(names = "--user", defaultValue = "user", description = "event log: user column (default: ${DEFAULT-VALUE})")
  String user;
  @Option(names = "--item", defaultValue = "item", description = "event log: item column (default: ${DEFAULT-VALUE})")
  String item;
  @Option(names = "--time", defaultValue = "timestamp",
      description = "event log: timestamp column (default: ${DEFAULT-VALUE})")
  String time;
  @Option(names = "--separator", defaultValue = "comma",
      description = "event log: comma, tab, a character, or auto (default: ${DEFAULT-VALUE})")
  String separator;
  @Option(names = "--partition-by", defaultValue = "hash:1000",
      description = "virtual clients: hash:N (customers by hash into N clients), country (Online Retail) or "
          + "column:NAME (default: ${DEFAULT-VALUE})")
  String partitionBy;
  @Option(names = "--executor", defaultValue = "spark",
      description = "spark, in-process, or both (the same federation on each, timed and compared) "
          + "(default: ${DEFAULT-VALUE})")
  String executor;
  @Option(names = "--master", defaultValue = "local[2]",
      description = "Spark master: local[N], local[N,F] (F attempts per task) or a cluster URL "
          + "(default: ${DEFAULT-VALUE})")
  String master;
  @Option(names = "--checkpoint-dir",
      description = "Spark checkpoint directory (a shared file system on a cluster): the clients are checkpointed "
          + "there, so a lost executor is recovered; without it they stay in the executors' caches (default: none)")
  String checkpointDir;
  @Option(names = "--partitions", defaultValue = "8",
      description = "Spark partitions of the clients: tasks per round (default: ${DEFAULT-VALUE})")
  int partitions;
  @Option(names = "--rounds", defaultValue = "3", description = "rounds (default: ${DEFAULT-VALUE})")
  int rounds;
  @Option(names = "--cohort", defaultValue = "100",
      description = "clients drawn per round, 0 = all (default: ${DEFAULT-VALUE})")
  int cohort;
  @Option(names = "--local-epochs", defaultValue = "1", description = "local epochs per round (default: ${DEFAULT-VALUE})")
  int localEpochs;
  @Option(names = "--model", defaultValue = "attention",
      description = "attention, lstm, gru or sasrec (default: ${DEFAULT-VALUE})")
  String model;
  @Option(names = "--embedding", defaultValue = "32", description = "item embedding size (default: ${DEFAULT-VALUE})")
  int embedding;
  @Option(names = "--hidden", defaultValue = "64", description = "hidden size (default: ${DEFAULT-VALUE})")
  int hidden;
  @Option(names = "--length", defaultValue = "20", description = "history length (default: ${DEFAULT-VALUE})")
  int length;
  @Option(names = "--learning-rate", defaultValue = "0.002", description = "client Adam rate (default: ${DEFAULT-VALUE})")
  double learningRate;
  @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})")
  int batch;
  @Option(names = "--seed", defaultValue = "42", description = "model and cohort seed (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--weighting", defaultValue = "examples",
      description = "examples, sqrt or uniform (default: ${DEFAULT-VALUE})")
  String weighting;
  @Option(names = "--server-optimizer", defaultValue = "fedavg",
      description = "fedavg, fedavgm, fedadam or fedyogi (default: ${DEFAULT-VALUE})")
  String serverOptimizer;
  @Option(names = "--server-learning-rate", defaultValue = "1.0", description = "server rate (default: ${DEFAULT-VALUE})")
  double serverLearningRate;
  @Option(names = "--sparse-rows", arity = "1", defaultValue = "false",
      description = "average each row over the clients that changed it (no privacy) (default: ${DEFAULT-VALUE})")
  boolean sparseRows;
  @Option(names = "--noise-multiplier", defaultValue = "0",
      description = "client-level central DP noise multiplier z, 0 = off (default: ${DEFAULT-VALUE})")
  double noiseMultiplier;
  @Option(names = "--clip-norm", defaultValue = "1.0",
      description = "central DP: clip norm of a client's update (default: ${DEFAULT-VALUE})")
  double clipNorm;
  @Option(names = "--epsilon", defaultValue = "8", description = "central DP: epsilon budget (default: ${DEFAULT-VALUE})")
  double epsilon;
  @Option(names = "--delta", defaultValue = "1e-5", description = "central DP: delta (default: ${DEFAULT-VALUE})")
  double delta;
  @Option(names = "--evaluate", arity = "1", defaultValue = "true",
      description = "score the final model (NDCG@10 on every customer's last basket) (default: ${DEFAULT-VALUE})")
  boolean evaluate;
  @Option(names = "--threads", defaultValue = "1", description = "ND4J threads per JVM (default: ${DEFAULT-VALUE})")
  int threads;
  @Option(names = "--out", defaultValue = "run/simulate-spark",
      description = "folder for rounds.csv and the ledgers (default: ${DEFAULT-VALUE})")
  Path out;
  @Option(names = "--json", description = JsonOutput.HELP)
  boolean json;

  @Override
  public Integer call() throws IOException {
    try (JsonOutput output = JsonOutput.open(json)) {
      return run(output.document(), output.progress());
    }
  }

  private Integer run(PrintStream stdout, PrintStream progress) throws IOException {
    if (!List.of("spark", "in-process", "both").contains(executor)) {
      throw new IllegalArgumentException("--executor must be spark, in-process or both, got '" + executor + "'");
    }
    Path file = data != null ? data : DataLocation.onlineRetail();
    String kind = format.equals("auto") ? EvaluateCommand.detect(file) : format;
    long t0 = System.nanoTime();
    EvaluationData d = switch (kind) {
      case "online-retail" -> EvaluationData.onlineRetail(file, OnlineRetailLoader.Format.parse("auto"), false,
          partitionBy, 10);
      case "events" -> EvaluationData.events(file, EventLogFormat.builder().separator(EventLogFormat.parseSeparator(separator)).user(user).item(item)
          .timestamp(time).build(), false, EventLog.Grouping.parse("timestamp"), partitionBy, 10);
      default -> throw new IllegalArgumentException("--format must be online-retail, events or auto, got " + format);
    };
    List<List<CustomerHistory>> train = new ArrayList<>();
    List<HeldOutBasket> test = new ArrayList<>();
    for (ClientData c : d.clients()) {
      train.add(c.split().train());
      test.addAll(c.split().test());
    }
    progress.printf("loaded %s in %.1f s: %s; %d virtual clients%n", file.getFileName(),
        (System.nanoTime() - t0) / 1e9, d.summary(), train.size());
    InterestModel.configureThreads(threads);
    ModelConfig cfg = new ModelConfig(model, d.catalogue().size(), length, embedding, hidden, learningRate, batch, seed,
        false);
    FederatedSimulation.Settings settings = new FederatedSimulation.Settings(cfg, rounds, localEpochs, cohort,
        Weighting.parse(weighting), new ServerStep(serverOptimizer, serverLearningRate, 0.9, sparseRows), clipNorm,
        noiseMultiplier);
    Files.createDirectories(out);
    JsonObject result = new JsonObject().put("virtualClients", train.size()).put("cohort", cohort)
        .put("rounds", rounds);
    JsonArray runs = new JsonArray();
    List<float[]> finals = new ArrayList<>();
    try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("rounds.csv"), StandardCharsets.UTF_8))) {
      csv.println("executor,round,cohort,clients,examples,mean_loss,clipped,seconds,task_seconds,epsilon");
      List<String> which = executor.equals("both") ? List.of("in-process", "spark") : List.of(executor);
      for (String ex : which) {
        JsonObject run = runOne(ex, cfg, settings, train, test, csv, progress, finals);
        runs.add(run);
      }
    }
    result.put("runs", runs).put("parameters", finals.get(0).length);
    if (finals.size() == 2) {
      double max = 0;
      for (int i = 0; i < finals.get(0).length; i++) {
        max = Math.max(max, Math.abs(finals.get(0)[i] - finals.get(1)[i]));
      }
      double ratio = runs.getJsonObject(1).getDouble("secondsPerRound") / runs.getJsonObject(0).getDouble("secondsPerRound");
      result.put("maxParameterDifference", max).put("sparkOverInProcessTime", ratio);
      progress.printf("spark / in-process time per round: %.2fx; final models differ by at most %.3g%n", ratio, max);
    }
    if (json) {
      stdout.println(result.encodePrettily());
    } else {
      stdout.println(String.format(Locale.ROOT, "rounds written to %s", out.resolve("rounds.csv")));
    }
    return 0;
  }

  private JsonObject runOne(String ex, ModelConfig cfg, FederatedSimulation.Settings settings,
      List<List<CustomerHistory>> train, List<HeldOutBasket> test, PrintWriter csv, PrintStream progress,
      List<float[]> finals) throws IOException {
    JavaSparkContext sc = ex.equals("spark") ? SparkRunner.context(master, "interestfl simulate") : null;
    if (sc != null && checkpointDir != null) {
      sc.setCheckpointDir(checkpointDir);
    }
    try {
      long t0 = System.nanoTime();
      CohortExecutor cohortExecutor = sc != null
          ? new SparkCohort(sc, cfg, train, localEpochs, partitions, threads, null)
          : new InProcessCohort(cfg, train, localEpochs);
      double setup = (System.nanoTime() - t0) / 1e9;
      progress.printf("%s: ready in %.1f s (%s)%n", ex, setup, cohortExecutor.describe());
      Path ledgerFile = out.resolve("privacy-ledger-" + ex + ".txt");
      Files.deleteIfExists(ledgerFile);
      PrivacyLedger ledger = noiseMultiplier > 0 ? PrivacyLedger.open(ledgerFile, new PrivacyBudget(epsilon, delta)) : null;
      FederatedSimulation.Result r;
      List<Double> taskSeconds = new ArrayList<>();
      try (cohortExecutor) {
        r = new FederatedSimulation(settings).run(cohortExecutor, ledger, rec -> {
          double tasks = cohortExecutor instanceof SparkCohort s ? s.lastRoundTaskSeconds() : rec.seconds();
          taskSeconds.add(tasks);
          progress.printf(Locale.ROOT, "%s round %d: %d/%d clients, %d examples, loss %.4f, %.2f s%s%n", ex,
              rec.round() + 1, rec.clients(), rec.cohort(), rec.examples(), rec.meanLoss(), rec.seconds(),
              Double.isNaN(rec.epsilon()) ? "" : String.format(Locale.ROOT, ", epsilon %.3f", rec.epsilon()));
          csv.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%.6f,%d,%.4f,%.4f,%s%n", ex, rec.round() + 1, rec.cohort(),
              rec.clients(), rec.examples(), rec.meanLoss(), rec.clipped(), rec.seconds(), tasks,
              Double.isNaN(rec.epsilon()) ? "" : Double.toString(rec.epsilon()));
        });
      } finally {
        if (ledger != null) {
          ledger.close();
        }
      }
      if (r.stopped() != null) {
        progress.println(ex + ": " + r.stopped());
      }
      finals.add(r.global());
      double total = 0;
      double tasks = 0;
      for (int i = 0; i < r.rounds().size(); i++) {
        total += r.rounds().get(i).seconds();
        tasks += i < taskSeconds.size() ? taskSeconds.get(i) : 0;
      }
      int n = Math.max(1, r.rounds().size());
      JsonObject run = new JsonObject().put("executor", ex).put("describe", cohortExecutor.describe())
          .put("setupSeconds", setup).put("secondsPerRound", total / n).put("taskSecondsPerRound", tasks / n)
          .put("roundsRun", r.rounds().size());
      if (r.stopped() != null) {
        run.put("stopped", r.stopped());
      }
      if (!r.rounds().isEmpty() && !Double.isNaN(r.rounds().get(r.rounds().size() - 1).epsilon())) {
        run.put("epsilon", r.rounds().get(r.rounds().size() - 1).epsilon()).put("delta", delta);
      }
      if (evaluate) {
        try (InterestModel m = InterestModel.create(cfg)) {
          m.setParameters(r.global());
          RankingMetrics metrics = RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), test, 10,
              cfg.catalogueSize());
          run.put("ndcg", metrics.ndcg()).put("hitRate", metrics.hitRate());
          progress.printf(Locale.ROOT, "%s: final model NDCG@10 %.4f on %d customers' last baskets%n", ex,
              metrics.ndcg(), test.size());
        }
      }
      return run;
    } finally {
      if (sc != null) {
        sc.stop();
      }
    }
  }
}
