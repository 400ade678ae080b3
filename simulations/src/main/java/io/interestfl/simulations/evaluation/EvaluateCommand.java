package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.EventLog;
import io.interestfl.interest.data.EventLogFormat;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.serving.JsonOutput;
import io.interestfl.simulations.demo.DataLocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl evaluate}: popularity, co-occurrence, own history, each client alone, centralized and
 * federated (FedAvg in process) on the same chronological split, with full-ranking HR@10, NDCG@10, MRR,
 * coverage and novelty per client and overall. See docs/evaluation.md.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Compare baselines, training alone, centralized and federated training on held-out last baskets "
        + "(full ranking, per client and overall).")
public final class EvaluateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--html", description = "also write a self-contained HTML page of the result (the command, the "
      + "tables, the chosen counts) to this file (default: none)")
  Path html;

  @Option(names = "--data", description = "input file (gzip or plain); default: the shared Online Retail file")
  Path data;
  @Option(names = "--format", defaultValue = "auto",
      description = "online-retail, events or auto (online-retail when the header has InvoiceNo; default ${DEFAULT-VALUE})")
  String format;
  @Option(names = "--form", defaultValue = "auto", description = "Online Retail form: auto, shared or r-csv (default ${DEFAULT-VALUE})")
  String form;
  @Option(names = "--preset", description = "event log preset: taobao, retailrocket or movielens")
  String preset;
  @Option(names = "--mapping", description = "event log mapping YAML (keys: preset, separator, header, user, item, "
      + "timestamp, timestamp-format, zone, behaviour, behaviours, category, value, min-value)")
  Path mapping;
  @Option(names = "--user", description = "event log: user column (header name or 0-based index)") String user;
  @Option(names = "--item", description = "event log: item column") String item;
  @Option(names = "--time", description = "event log: timestamp column") String time;
  @Option(names = "--time-format", description = "seconds, millis, iso, auto or pattern:<pattern>") String timeFormat;
  @Option(names = "--behaviour", description = "event log: behaviour column") String behaviour;
  @Option(names = "--behaviour-map", description = "label=kind,... with kinds view, cart, favorite, buy") String behaviourMap;
  @Option(names = "--category", description = "event log: category column") String category;
  @Option(names = "--value", description = "event log: quantity or rating column") String value;
  @Option(names = "--min-value", description = "event log: keep rows with value >= this") Double minValue;
  @Option(names = "--separator", description = "event log: comma, tab, a character, or auto") String separator;
  @Option(names = "--header", arity = "1", description = "event log: true or false (default: detected)") Boolean header;
  @Option(names = "--group-by", defaultValue = "timestamp",
      description = "event log: events per step: timestamp, event or session:SECONDS (default ${DEFAULT-VALUE})")
  String groupBy;
  @Option(names = "--skip-malformed", description = "skip and count malformed rows instead of stopping")
  boolean skipMalformed;
  @Option(names = "--partition-by", defaultValue = "country",
      description = "country (Online Retail), hash:N, or column:NAME (event log: one client per value of the column, "
          + "e.g. a region; a user's first row decides) (default ${DEFAULT-VALUE})")
  String partitionBy;
  @Option(names = "--min-customers", defaultValue = "10",
      description = "countries (or column values) with fewer customers are pooled into one client 'other' "
          + "(default ${DEFAULT-VALUE})")
  int minCustomers;
  @Option(names = "--rounds", defaultValue = "40",
      description = "federated rounds (with --patience: at most this many) (default ${DEFAULT-VALUE})")
  int rounds;
  @Option(names = {"--epochs", "--local-epochs"}, defaultValue = "2",
      description = "local epochs per round; alone and centralized train rounds x epochs epochs (default ${DEFAULT-VALUE})")
  int epochs;
  @Option(names = "--model", defaultValue = "attention", description = "attention, lstm, gru or sasrec (causal blocks, a loss at every position) (default ${DEFAULT-VALUE})")
  String model;
  @Option(names = "--embedding", defaultValue = "32", description = "item embedding size (default: ${DEFAULT-VALUE})") int embedding;
  @Option(names = "--hidden", defaultValue = "64", description = "hidden size of the sequence layer (default: ${DEFAULT-VALUE})") int hidden;
  @Option(names = "--length", defaultValue = "20", description = "history length fed to the model (default: ${DEFAULT-VALUE})") int length;
  @Option(names = "--learning-rate", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE})") double learningRate;
  @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
  @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})") long seed;
  @Option(names = "--context-inputs", arity = "1", defaultValue = "false",
      description = "feed each item's behaviour, time gap and age to the model (default ${DEFAULT-VALUE})")
  boolean contextInputs;
  @Option(names = "--history-weight", defaultValue = "0.5",
      description = "weight of the customer's own history in federated+history (default ${DEFAULT-VALUE})")
  double historyWeight;
  @Option(names = "--finetune-epochs", defaultValue = "0",
      description = "also score federated+finetune: each client fine-tunes the final model this many epochs (default ${DEFAULT-VALUE})")
  int finetuneEpochs;
  @Option(names = "--adapt-epochs", defaultValue = "0",
      description = "also score federated+adapted (each client fine-tunes the final model 0..N epochs, N chosen on its own "
          + "validation baskets) and alone-validated (alone's epochs chosen the same way); default ${DEFAULT-VALUE}: off")
  int adaptEpochs;
  @Option(names = "--weighting", defaultValue = "examples",
      description = "FedAvg client weights: examples, sqrt or uniform (default ${DEFAULT-VALUE})")
  String weighting;
  @Option(names = "--cohort", defaultValue = "0", description = "clients sampled to train in each federated round, "
      + "as a coordinator samples its cohort; 0 = every client (default ${DEFAULT-VALUE})")
  int cohort;
  @Option(names = "--patience", defaultValue = "5",
      description = "choose epochs and rounds on validation (every customer's last training basket): stop after this "
          + "many epochs or rounds without a better validation NDCG@10, at most --rounds rounds and rounds x epochs "
          + "epochs; 0 trains exactly that many (default ${DEFAULT-VALUE})")
  int patience;
  @Option(names = "--server-optimizer", defaultValue = "fedavg",
      description = "federated server step on the clients' mean delta: " + ServerOptimizers.NAMES
          + " (default ${DEFAULT-VALUE})")
  String serverOptimizer;
  @Option(names = "--server-learning-rate", defaultValue = "1.0",
      description = "server learning rate (default ${DEFAULT-VALUE})")
  double serverLearningRate;
  @Option(names = "--sparse-rows", arity = "1", defaultValue = "true",
      description = "average each coordinate over the clients that changed it (item embedding rows a client never saw "
          + "are not pulled towards zero; with drift correction a client leaves the rows its data never reaches "
          + "uncorrected); false: the plain weighted mean (default ${DEFAULT-VALUE})")
  boolean sparseRows;
  @Option(names = "--carry-local-state", arity = "1", defaultValue = "true",
      description = "each client keeps its Adam moments from one round to its next instead of resetting them "
          + "(default ${DEFAULT-VALUE})")
  boolean carryLocalState;
  @Option(names = "--drift-correction", arity = "1", defaultValue = "true",
      description = "SCAFFOLD: every local step adds the federation's mean gradient less the client's own (both at the "
          + "global model of the client's last round), so that local steps follow the federation's objective; one "
          + "extra gradient pass per client and round (default ${DEFAULT-VALUE})")
  boolean driftCorrection;
  @Option(names = "--server-momentum", defaultValue = "0.9",
      description = "momentum of fedavgm, first-moment decay of fedadam/fedyogi (default ${DEFAULT-VALUE})")
  double serverMomentum;
  @Option(names = "--torch-reference", paramLabel = "PYTHON",
      description = "also train and score the independent PyTorch SASRec reference on the same split, with this Python "
          + "(Debian's /usr/bin/python3 with python3-torch on OpenBLAS; one thread); reported as sasrec-torch "
          + "(default: not run)")
  Path torchReference;
  @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default ${DEFAULT-VALUE})")
  int threads;
  @Option(names = "--json", description = JsonOutput.HELP)
  boolean json;

  @Override
  public Integer call() throws IOException {
    try (JsonOutput output = JsonOutput.open(json)) {
      return run(output.document(), output.progress());
    }
  }

  private Integer run(PrintStream stdout, PrintStream progress) throws IOException {
    Path file = data != null ? data : DataLocation.onlineRetail();
    String kind = format.equals("auto") ? detect(file) : format;
    long t0 = System.nanoTime();
    EvaluationData d = switch (kind) {
      case "online-retail" -> EvaluationData.onlineRetail(file, OnlineRetailLoader.Format.parse(form), skipMalformed,
          partitionBy, minCustomers);
      case "events" -> EvaluationData.events(file, eventFormat(), skipMalformed, EventLog.Grouping.parse(groupBy),
          partitionBy, minCustomers);
      default -> throw new IllegalArgumentException("--format must be online-retail, events or auto, got " + format);
    };
    progress.printf("loaded %s in %.1f s: %s%n", file.getFileName(), (System.nanoTime() - t0) / 1e9, d.summary());
    InterestModel.configureThreads(threads);
    ModelConfig cfg = new ModelConfig(model, d.catalogue().size(), length, embedding, hidden, learningRate, batch, seed,
        contextInputs);
    EvaluationReport report = new FederatedEvaluation(
        new EvaluationSettings(cfg, rounds, epochs, historyWeight, finetuneEpochs, weighting, adaptEpochs,
            cohort, new ServerStep(serverOptimizer, serverLearningRate, serverMomentum, sparseRows),
            patience, carryLocalState, driftCorrection),
        progress).run(d);
    if (torchReference != null) {
      Map<String, FederatedEvaluation.MethodResult> results = new LinkedHashMap<>(report.results());
      FederatedEvaluation.MethodResult reference = TorchReference.run(torchReference, d, progress);
      progress.printf("%-18s NDCG@10=%.4f (%.1f s; chosen %s)%n", reference.method(), reference.overall().ndcg(),
          reference.seconds(), reference.chosen());
      results.put(reference.method(), reference);
      report = new EvaluationReport(report.data(), report.settings(), results, report.trace());
    }
    if (html != null) {
      java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
      report.results().values().forEach(r -> rows.add(java.util.List.of(r.method(),
          String.format(java.util.Locale.ROOT, "%.4f", r.overall().hitRate()),
          String.format(java.util.Locale.ROOT, "%.4f", r.overall().ndcg()),
          String.format(java.util.Locale.ROOT, "%.4f", r.overall().mrr()),
          String.format(java.util.Locale.ROOT, "%.3f", r.overall().coverage()),
          String.format(java.util.Locale.ROOT, "%.1f", r.seconds()), String.valueOf(r.chosen()))));
      new io.interestfl.simulations.report.HtmlReport("Evaluation: " + file.getFileName()).command(spec)
          .paragraph(d.summary().toString())
          .heading("Overall (full ranking over the catalogue, K = 10)")
          .table(java.util.List.of("method", "HR@10", "NDCG@10", "MRR", "coverage", "seconds", "chosen"), rows)
          .heading("Full text report").pre(report.toText()).write(html);
      progress.println("wrote " + html);
    }
    if (json) {
      stdout.println(report.toJson().encodePrettily());
    } else {
      stdout.println();
      stdout.print(report.toText());
    }
    return 0;
  }

  EventLogFormat eventFormat() {
    EventLogFormat base = mapping != null ? EventLogFormat.fromYaml(mapping) : null;
    EventLogFormat.Builder b;
    if (base != null) {
      b = base.toBuilder();
    } else if (preset != null) {
      b = EventLogFormat.preset(preset).toBuilder();
    } else {
      b = EventLogFormat.builder();
    }
    if (user != null) {
      b.user(user);
    }
    if (item != null) {
      b.item(item);
    }
    if (time != null) {
      b.timestamp(time);
    }
    if (timeFormat != null) {
      b.timeFormat(timeFormat);
    }
    if (behaviour != null) {
      b.behaviourColumn(behaviour);
    }
    if (behaviourMap != null) {
      b.behaviours(EventLogFormat.parseBehaviourMap(behaviourMap));
    }
    if (category != null) {
      b.category(category);
    }
    if (value != null) {
      b.value(value);
    }
    if (minValue != null) {
      b.minValue(minValue);
    }
    if (separator != null) {
      b.separator(EventLogFormat.parseSeparator(separator));
    }
    if (header != null) {
      b.header(header ? EventLogFormat.Header.PRESENT : EventLogFormat.Header.ABSENT);
    }
    return b.build();
  }

  /** online-retail when the first line names InvoiceNo and StockCode, else events. */
  public static String detect(Path file) throws IOException {
    try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read(), b1 = raw.read();
      raw.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw) : raw;
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String first = r.readLine();
      return first != null && first.contains("InvoiceNo") && first.contains("StockCode") ? "online-retail" : "events";
    }
  }
}
