package io.interestfl.simulations.bench;

import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelBenchmark;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.serving.JsonOutput;
import io.interestfl.simulations.reference.PythonPeer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl bench train}: milliseconds per training step of the interest model (full softmax over
 * the catalogue, Adam) and samples per second after warm-up, on synthetic data
 * ({@link ModelBenchmark}: best of 4 repetitions, wall clock and thread CPU). The PyTorch peer
 * ({@code reference/torch_train_peer.py} in this jar: the same models, sizes, labels, loss and optimizer) is
 * measured in the same run on the same number of threads when a Python with torch is found, and the ratio is
 * reported; the peer refuses to run on any BLAS but OpenBLAS (Debian's torch on the reference BLAS is 8x slower,
 * and a comparison with it is meaningless). With {@code --dp} the per-customer DP-SGD step is measured too, ours
 * ({@link ModelBenchmark#runDp}) against the peer's Opacus-style per-sample gradients (functorch vmap). The softmax
 * head alone ({@link ModelBenchmark#runHead}) is timed at the same sizes and reported as a share of each step.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training-step benchmark of the interest model (full softmax, Adam), against PyTorch in the same run.")
public final class TrainBenchmark implements Callable<Integer> {
  private static final String PEER = "torch_train_peer.py";

  @Option(names = "--model", defaultValue = "lstm", description = "lstm, gru, attention, sasrec, both (lstm and attention) or all (default ${DEFAULT-VALUE})")
  String model;
  @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
  @Option(names = "--length", defaultValue = "20", description = "history length (default: ${DEFAULT-VALUE})") int length;
  @Option(names = "--catalogue", defaultValue = "5000", description = "items (softmax width) (default: ${DEFAULT-VALUE})") int catalogue;
  @Option(names = "--embedding", defaultValue = "64", description = "item embedding size (default: ${DEFAULT-VALUE})") int embedding;
  @Option(names = "--hidden", defaultValue = "64", description = "hidden size (default: ${DEFAULT-VALUE})") int hidden;
  @Option(names = "--steps", defaultValue = "30", description = "steps per repetition (4 repetitions, best kept) (default: ${DEFAULT-VALUE})") int steps;
  @Option(names = "--threads", defaultValue = "1", description = "ND4J/BLAS threads, ours and the peer's (default: ${DEFAULT-VALUE})") int threads;
  @Option(names = "--dp", description = "also measure the per-customer DP-SGD step (batch customers of one example each, "
      + "clip 1, noise multiplier 1), ours and the peer's (default: off)")
  boolean dp;
  @Option(names = "--torch", defaultValue = "auto",
      description = "PyTorch peer script: auto (the one shipped in this jar), none, or a path (default ${DEFAULT-VALUE})")
  String torch;
  @Option(names = "--python", description = "python with torch (default: the first of /usr/bin/python3, python3 that imports torch)")
  String python;
  @Option(names = "--profile", description = "also profile each model's steps with Java Flight Recorder and print where "
      + "the time goes (share of the training thread's samples per layer pass, loss, update, buffers; native "
      + "share) (default: off)") boolean profile;
  @Option(names = "--json", description = JsonOutput.HELP) boolean json;

  /** One architecture's figures; the torch and DP figures are NaN when not measured. */
  public record Row(String architecture, double wallMs, double cpuMs, double samplesPerSecond, int parameters,
                    double torchMs, double dpMs, double torchDpMs, String torchNote) {}

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
    Path script = torchScript();
    String py = script == null ? null : python();
    List<Row> rows = new ArrayList<>();
    Map<String, StepProfile> profiles = new LinkedHashMap<>();
    try {
      for (String a : archs) {
        // item-only, like the PyTorch peer it is compared with (context inputs add three small lookups)
        ModelConfig cfg = new ModelConfig(a, catalogue, length, embedding, hidden, 1e-3, batch, 1, false);
        ModelBenchmark.Result r = ModelBenchmark.run(cfg, steps);
        if (profile) {
          profiles.put(a, StepProfile.of(() -> ModelBenchmark.run(cfg, steps)));
        }
        double dpMs = dp ? ModelBenchmark.runDp(cfg, Math.max(2, steps / 3)).wallMsPerStep() : Double.NaN;
        double torchMs = Double.NaN, torchDpMs = Double.NaN;
        String note;
        if (script == null) {
          note = "not measured (--torch none)";
        } else if (py == null) {
          note = "no python3 with torch";
        } else {
          Peer peer = runTorch(py, script, a);
          torchMs = peer.ms();
          torchDpMs = peer.dpMs();
          note = peer.note();
        }
        rows.add(new Row(a, r.wallMsPerStep(), r.cpuMsPerStep(), batch * 1000.0 / r.wallMsPerStep(), r.parameters(),
            torchMs, dpMs, torchDpMs, note));
      }
    } finally {
      if (script != null && torch.equals("auto")) {
        Files.deleteIfExists(script);
      }
    }
    // The softmax head alone at the same sizes: its share of each model's step (thread CPU, the steadier figure).
    ModelBenchmark.Result head = ModelBenchmark.runHead(
        new ModelConfig(ModelConfig.LSTM, catalogue, length, embedding, hidden, 1e-3, batch, 1, false), steps);
    if (json) {
      JsonArray arr = new JsonArray();
      for (Row r : rows) {
        arr.add(new JsonObject().put("model", r.architecture()).put("msPerStep", r.wallMs()).put("cpuMsPerStep", r.cpuMs())
            .put("samplesPerSecond", r.samplesPerSecond()).put("parameters", r.parameters())
            .put("torchMsPerStep", orNull(r.torchMs()))
            .put("throughputVsTorch", orNull(r.torchMs() / r.wallMs()))
            .put("dpMsPerStep", orNull(r.dpMs())).put("dpOverNonPrivate", orNull(r.dpMs() / r.wallMs()))
            .put("torchDpMsPerStep", orNull(r.torchDpMs())).put("torchNote", r.torchNote())
            .put("softmaxHeadCpuShare", head.cpuMsPerStep() / r.cpuMs()));
        StepProfile p = profiles.get(r.architecture());
        if (p != null) {
          arr.getJsonObject(arr.size() - 1).put("profile", new JsonObject().put("samples", p.samples())
              .put("nativeShare", p.nativeShare()).put("parts", new JsonObject(new LinkedHashMap<>(p.parts()))));
        }
      }
      stdout.println(new JsonObject().put("batch", batch).put("length", length).put("catalogue", catalogue)
          .put("embedding", embedding).put("hidden", hidden).put("threads", threads).put("backend", backend()).put("results", arr)
          .put("softmaxHead", new JsonObject().put("msPerStep", head.wallMsPerStep()).put("cpuMsPerStep", head.cpuMsPerStep())
              .put("parameters", head.parameters())).encodePrettily());
    } else {
      System.out.printf(Locale.ROOT, "batch %d x length %d, catalogue %d, embedding %d, hidden %d, %d thread(s), full softmax, Adam, ND4J backend %s%n",
          batch, length, catalogue, embedding, hidden, threads, backend());
      System.out.printf(Locale.ROOT, "%-10s %9s %8s %9s %11s %9s %12s%s  %s%n", "model", "ms/step", "cpu ms", "samples/s",
          "parameters", "torch ms", "torch/ours", dp ? String.format(Locale.ROOT, " %9s %8s %12s", "dp ms", "dp/step",
              "torch dp ms") : "", "peer");
      for (Row r : rows) {
        System.out.printf(Locale.ROOT, "%-10s %9.1f %8.1f %9.0f %,11d %9s %12s%s  %s%n", r.architecture(), r.wallMs(),
            r.cpuMs(), r.samplesPerSecond(), r.parameters(), fmt(r.torchMs(), "%.1f"),
            fmt(r.torchMs() / r.wallMs(), "%.2fx"), dp ? String.format(Locale.ROOT, " %9s %8s %12s", fmt(r.dpMs(), "%.1f"),
                fmt(r.dpMs() / r.wallMs(), "%.1fx"), fmt(r.torchDpMs(), "%.1f")) : "", r.torchNote());
      }
      StringBuilder shares = new StringBuilder();
      for (Row r : rows) {
        shares.append(String.format(Locale.ROOT, "%s%.0f%% of %s", shares.length() == 0 ? "" : ", ",
            100 * head.cpuMsPerStep() / r.cpuMs(), r.architecture()));
      }
      System.out.printf(Locale.ROOT, "softmax head alone (OutputLayer %d x %d, labels, Adam): %.1f ms/step, %.1f cpu ms: %s (cpu)%n",
          hidden, catalogue, head.wallMsPerStep(), head.cpuMsPerStep(), shares);
      System.out.println("torch/ours is throughput: PyTorch's ms per step over ours (1.0 = as fast as PyTorch)");
      for (Map.Entry<String, StepProfile> e : profiles.entrySet()) {
        StepProfile p = e.getValue();
        System.out.printf(Locale.ROOT, "%nwhere a %s step's time goes (%d JFR samples of the training thread, %.0f%% in native "
            + "ND4J code):%n%s", e.getKey(), p.samples(), 100 * p.nativeShare(), p.table(0.02));
      }
    }
    return 0;
  }

  private static Object orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static String fmt(double v, String f) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, f, v);
  }

  private Path torchScript() throws java.io.IOException {
    if (torch.equals("none")) {
      return null;
    }
    if (!torch.equals("auto")) {
      Path p = Path.of(torch);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("--torch " + torch + ": no such file");
      }
      return p;
    }
    return PythonPeer.extract(PEER);
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

  /** The peer's figures (NaN where not measured) and a note: how it ran, or why it did not. */
  record Peer(double ms, double dpMs, String note) {}

  private Peer runTorch(String py, Path script, String architecture) {
    // sasrec: the batch counts targets and the bench's windows have one at each of their L positions, so our step
    // takes ceil(batch / L) windows; the peer gets as many sequences, its loss at every position too: the same work
    int peerBatch = architecture.equals(ModelConfig.SASREC) ? (batch + length - 1) / length : batch;
    List<String> args = new ArrayList<>(List.of(architecture, String.valueOf(catalogue), String.valueOf(embedding),
        String.valueOf(hidden), String.valueOf(peerBatch), String.valueOf(length), String.valueOf(steps)));
    if (dp) {
      args.add("dp");
    }
    try {
      JsonObject out = PythonPeer.run(py, script, args, threads, line -> { });
      String note = "same run, torch " + out.getString("torch") + ", OpenBLAS, " + out.getInteger("threads") + " thread(s)";
      if (out.containsKey("dpError")) {
        note += "; peer DP failed: " + out.getString("dpError");
      }
      return new Peer(out.getDouble("msPerStep"), out.getDouble("dpMsPerStep", Double.NaN), note);
    } catch (Exception e) {
      return new Peer(Double.NaN, Double.NaN, "torch peer failed: " + e.getMessage());
    }
  }

  /** Which ND4J backend runs the models: CPU (nd4j-native) unless built with -Pcuda on a GPU machine. */
  static String backend() {
    return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
  }
}
