package io.interestfl.simulations.bench;

import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelBenchmark;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl bench train}: milliseconds per training step of the interest model (full softmax over
 * the catalogue, Adam) and samples per second after warm-up, on synthetic data
 * ({@link ModelBenchmark}: best of 4 repetitions, wall clock and thread CPU). When the PyTorch peer
 * reference ({@code ../shared/peers/torch_interest_model.py}) and a {@code python3} with torch are found,
 * it is measured in the same run, on the same number of threads, and the ratio is reported. The peer
 * script has fixed sizes (catalogue 5000, embedding 64, hidden 64, batch 64, length 20): the ratio is only
 * printed when the DL4J run uses those sizes. The softmax head alone ({@link ModelBenchmark#runHead}) is
 * timed at the same sizes and reported as a share of each model's step.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training-step benchmark of the interest model (full softmax, Adam), against PyTorch in the same run.")
public final class TrainBenchmark implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "lstm", description = "lstm, gru, attention, both (lstm and attention) or all (default ${DEFAULT-VALUE})")
  String model;
  @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
  @Option(names = "--length", defaultValue = "20", description = "history length (default: ${DEFAULT-VALUE})") int length;
  @Option(names = "--catalogue", defaultValue = "5000", description = "items (softmax width) (default: ${DEFAULT-VALUE})") int catalogue;
  @Option(names = "--embedding", defaultValue = "64", description = "item embedding size (default: ${DEFAULT-VALUE})") int embedding;
  @Option(names = "--hidden", defaultValue = "64", description = "hidden size (default: ${DEFAULT-VALUE})") int hidden;
  @Option(names = "--steps", defaultValue = "30", description = "steps per repetition (4 repetitions, best kept) (default: ${DEFAULT-VALUE})") int steps;
  @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE})") int threads;
  @Option(names = "--torch", defaultValue = "auto",
      description = "PyTorch peer script: auto (../shared/peers/torch_interest_model.py), none, or a path")
  String torch;
  @Option(names = "--python", description = "python with torch (default: the first of /usr/bin/python3, python3 that imports torch)")
  String python;
  @Option(names = "--json", description = JsonOutput.HELP) boolean json;

  /** One architecture's figures; torchMs is NaN when PyTorch was not measured. */
  public record Row(String architecture, double wallMs, double cpuMs, double samplesPerSecond, int parameters,
                    double torchMs, String torchNote) {}

  @Override
  public Integer call() throws Exception {
    try (JsonOutput output = JsonOutput.open(json)) {
      return measure(output.document());
    }
  }

  private Integer measure(java.io.PrintStream stdout) throws Exception {
    InterestModel.configureThreads(threads);
    List<String> archs = switch (model) {
      case "both" -> List.of(ModelConfig.LSTM, ModelConfig.ATTENTION);
      case "all" -> ModelConfig.ARCHITECTURES;
      default -> List.of(model);
    };
    boolean peerSizes = catalogue == 5000 && embedding == 64 && hidden == 64 && batch == 64 && length == 20;
    Path script = torchScript();
    String py = script == null || !peerSizes ? null : python();
    List<Row> rows = new ArrayList<>();
    for (String a : archs) {
      // item-only, like the PyTorch peer it is compared with (context inputs add three small lookups)
      ModelConfig cfg = new ModelConfig(a, catalogue, length, embedding, hidden, 1e-3, batch, 1, false);
      ModelBenchmark.Result r = ModelBenchmark.run(cfg, steps);
      double torchMs = Double.NaN;
      String note;
      if (script == null) {
        note = torch.equals("none") ? "not measured (--torch none)" : "peer script not found";
      } else if (!peerSizes) {
        note = "sizes differ from the peer script's (5000/64/64, batch 64 x 20)";
      } else if (a.equals(ModelConfig.GRU)) {
        note = "the peer script has no GRU";
      } else if (py == null) {
        note = "no python3 with torch";
      } else {
        torchMs = runTorch(py, script, a.equals(ModelConfig.LSTM) ? "lstm" : "attn");
        note = Double.isNaN(torchMs) ? "torch run failed" : "same run, " + threads + " thread(s)";
      }
      rows.add(new Row(a, r.wallMsPerStep(), r.cpuMsPerStep(), batch * 1000.0 / r.wallMsPerStep(), r.parameters(),
          torchMs, note));
    }
    // The softmax head alone at the same sizes: its share of each model's step (thread CPU, the steadier figure).
    ModelBenchmark.Result head = ModelBenchmark.runHead(
        new ModelConfig(ModelConfig.LSTM, catalogue, length, embedding, hidden, 1e-3, batch, 1, false), steps);
    if (json) {
      JsonArray arr = new JsonArray();
      for (Row r : rows) {
        arr.add(new JsonObject().put("model", r.architecture()).put("msPerStep", r.wallMs()).put("cpuMsPerStep", r.cpuMs())
            .put("samplesPerSecond", r.samplesPerSecond()).put("parameters", r.parameters())
            .put("torchMsPerStep", Double.isNaN(r.torchMs()) ? null : r.torchMs())
            .put("ratioToTorch", Double.isNaN(r.torchMs()) ? null : r.wallMs() / r.torchMs()).put("torchNote", r.torchNote())
            .put("softmaxHeadCpuShare", head.cpuMsPerStep() / r.cpuMs()));
      }
      stdout.println(new JsonObject().put("batch", batch).put("length", length).put("catalogue", catalogue)
          .put("embedding", embedding).put("hidden", hidden).put("threads", threads).put("backend", backend()).put("results", arr)
          .put("softmaxHead", new JsonObject().put("msPerStep", head.wallMsPerStep()).put("cpuMsPerStep", head.cpuMsPerStep())
              .put("parameters", head.parameters())).encodePrettily());
    } else {
      System.out.printf(Locale.ROOT, "batch %d x length %d, catalogue %d, embedding %d, hidden %d, %d thread(s), full softmax, Adam, ND4J backend %s%n",
          batch, length, catalogue, embedding, hidden, threads, backend());
      System.out.printf(Locale.ROOT, "%-10s %10s %10s %10s %11s %12s %8s%n", "model", "ms/step", "cpu ms", "samples/s",
          "parameters", "torch ms", "ratio");
      for (Row r : rows) {
        System.out.printf(Locale.ROOT, "%-10s %10.1f %10.1f %10.0f %,11d %12s %8s  %s%n", r.architecture(), r.wallMs(),
            r.cpuMs(), r.samplesPerSecond(), r.parameters(),
            Double.isNaN(r.torchMs()) ? "-" : String.format(Locale.ROOT, "%.1f", r.torchMs()),
            Double.isNaN(r.torchMs()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.wallMs() / r.torchMs()), r.torchNote());
      }
      StringBuilder shares = new StringBuilder();
      for (Row r : rows) {
        shares.append(String.format(Locale.ROOT, "%s%.0f%% of %s", shares.length() == 0 ? "" : ", ",
            100 * head.cpuMsPerStep() / r.cpuMs(), r.architecture()));
      }
      System.out.printf(Locale.ROOT, "softmax head alone (OutputLayer %d x %d, labels, Adam): %.1f ms/step, %.1f cpu ms: %s (cpu)%n",
          hidden, catalogue, head.wallMsPerStep(), head.cpuMsPerStep(), shares);
    }
    return 0;
  }

  private Path torchScript() {
    if (torch.equals("none")) {
      return null;
    }
    if (!torch.equals("auto")) {
      return Path.of(torch);
    }
    String rel = "shared/peers/torch_interest_model.py";
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(rel))) {
        return d.resolve(rel);
      }
      if (d.getParent() != null && Files.isRegularFile(d.resolveSibling(rel))) {
        return d.resolveSibling(rel);
      }
    }
    return null;
  }

  private String python() {
    List<String> candidates = python != null ? List.of(python) : List.of("/usr/bin/python3", "python3");
    for (String p : candidates) {
      try {
        Process proc = new ProcessBuilder(p, "-c", "import torch").redirectErrorStream(true).start();
        proc.getInputStream().readAllBytes();
        if (proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0) {
          return p;
        }
      } catch (Exception e) {
        // try the next one
      }
    }
    return null;
  }

  private static final Pattern MS = Pattern.compile("([0-9.]+) ms/batch");

  private double runTorch(String py, Path script, String kind) {
    try {
      ProcessBuilder pb = new ProcessBuilder(py, script.toString(), String.valueOf(threads), kind).redirectErrorStream(true);
      pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
      Process p = pb.start();
      String out;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        out = String.join("\n", r.lines().toList());
      }
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Double.NaN;
      }
      Matcher m = MS.matcher(out);
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** Which ND4J backend runs the models: CPU (nd4j-native) unless built with -Pcuda on a GPU machine. */
  static String backend() {
    return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
  }
}
