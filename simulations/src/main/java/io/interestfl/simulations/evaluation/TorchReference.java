package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.evaluation.ListEvaluation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The measuring stick of issue 13: an independent SASRec in PyTorch ({@code reference/sasrec_reference.py}, shipped
 * in this jar) trained and scored on exactly the split and metric of {@link FederatedEvaluation} - each customer's
 * last basket the test case, the one before it validation, full ranking over the catalogue - and reported as one
 * more method, {@code sasrec-torch}, per client and overall (accuracy figures only: the script reports no lists, so
 * coverage and novelty read 0).
 *
 * <p>Runs the given Python (Debian's {@code /usr/bin/python3} with {@code python3-torch}) with one OpenMP and one
 * OpenBLAS thread; the script refuses to run on any BLAS but OpenBLAS (the reference BLAS is 8x slower and would make
 * the comparison meaningless in speed, though not in quality). Not a product dependency: only {@code evaluate
 * --torch-reference} calls it.
 */
public final class TorchReference {
  static final String METHOD = "sasrec-torch";
  private static final String SCRIPT = "/io/interestfl/simulations/reference/sasrec_reference.py";

  private TorchReference() {}

  /**
   * Writes the split of {@code data}, runs the reference on it and returns its results.
   *
   * @throws IllegalStateException when Python fails (its last line of error output is in the message)
   */
  public static FederatedEvaluation.MethodResult run(Path python, EvaluationData data, PrintStream progress)
      throws IOException {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("interestfl-torch-reference");
    try {
      Path split = dir.resolve("split.txt");
      Path script = dir.resolve("sasrec_reference.py");
      try (InputStream in = TorchReference.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("the reference script " + SCRIPT + " is missing from the jar");
        }
        Files.copy(in, script);
      }
      Map<Long, String> clientOf = writeSplit(data, split);
      JsonObject out = execute(python, script, split, progress);
      return result(data, clientOf, out, (System.nanoTime() - t0) / 1e9);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * One line per customer, {@code id|train baskets|validation basket|test basket}: the training baskets less the
   * last (validation, as {@link ValidatedFit#split} holds it out), or all of them with an empty validation for a
   * customer with one; the test basket (empty without a test case). Returns each customer's client.
   */
  static Map<Long, String> writeSplit(EvaluationData data, Path file) throws IOException {
    Map<Long, String> clientOf = new HashMap<>();
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("catalogue " + data.catalogue().size() + "\n");
      for (ClientData cd : data.clients()) {
        Map<Long, int[]> test = new HashMap<>();
        for (HeldOutBasket t : cd.split().test()) {
          test.put(t.customerId(), t.target());
        }
        for (CustomerHistory c : cd.split().train()) {
          clientOf.put(c.customerId(), cd.name());
          List<Basket> baskets = c.baskets();
          boolean validation = baskets.size() >= 2;
          List<Basket> inner = validation ? baskets.subList(0, baskets.size() - 1) : baskets;
          StringJoiner train = new StringJoiner(";");
          for (Basket b : inner) {
            train.add(items(b.itemIds()));
          }
          w.write(c.customerId() + "|" + train + "|"
              + (validation ? items(baskets.get(baskets.size() - 1).itemIds()) : "") + "|"
              + items(test.getOrDefault(c.customerId(), new int[0])) + "\n");
        }
      }
    }
    return clientOf;
  }

  private static String items(int[] ids) {
    StringJoiner j = new StringJoiner(" ");
    for (int id : ids) {
      if (id >= 2) {
        j.add(Integer.toString(id));
      }
    }
    return j.toString();
  }

  private static JsonObject execute(Path python, Path script, Path split, PrintStream progress) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), split.toString());
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("MKL_NUM_THREADS", "1");
    pb.redirectErrorStream(false);
    Process p = pb.start();
    List<String> errors = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          errors.add(line);
          progress.println("sasrec-torch: " + line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "torch-reference-stderr");
    drain.setDaemon(true);
    drain.start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        last = line;
      }
    }
    try {
      int rc = p.waitFor();
      drain.join(TimeUnit.SECONDS.toMillis(5));
      if (rc != 0 || last == null) {
        String why = errors.isEmpty() ? "no output" : errors.get(errors.size() - 1);
        throw new IllegalStateException("the PyTorch reference (" + python + ") failed with exit code " + rc + ": "
            + why);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the PyTorch reference ran", e);
    }
    return new JsonObject(last);
  }

  /** Per-client sums of the script's per-case figures, as {@link ListEvaluation}s over the same products. */
  static FederatedEvaluation.MethodResult result(EvaluationData data, Map<Long, String> clientOf, JsonObject out,
      double seconds) {
    int products = data.catalogue().size() - 2;
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (ClientData cd : data.clients()) {
      sums.put(cd.name(), new double[4]);
    }
    JsonArray cases = out.getJsonArray("cases");
    for (int i = 0; i < cases.size(); i++) {
      JsonArray c = cases.getJsonArray(i);
      String client = clientOf.get(c.getLong(0));
      if (client == null) {
        throw new IllegalStateException("the PyTorch reference scored unknown customer " + c.getLong(0));
      }
      double[] s = sums.get(client);
      s[0]++;
      s[1] += c.getDouble(2);
      s[2] += c.getDouble(1);
      s[3] += c.getDouble(3);
    }
    Map<String, ListEvaluation> clients = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      double[] s = e.getValue();
      clients.put(e.getKey(), new ListEvaluation(10, (int) s[0], s[1], s[2], s[3], 0, new BitSet(), products));
    }
    JsonObject chosen = out.getJsonObject("chosen");
    Map<String, Integer> picked = new LinkedHashMap<>();
    picked.put(FederatedEvaluation.ALL, chosen.getInteger("epochs"));
    picked.put("maxLength", chosen.getInteger("maxlen"));
    picked.put("hidden", chosen.getInteger("hidden", 0));
    picked.put("blocks", chosen.getInteger("blocks", 0));
    picked.put("dropoutPercent", (int) Math.round(chosen.getDouble("dropout") * 100));
    return new FederatedEvaluation.MethodResult(METHOD, clients,
        ListEvaluation.combine(List.copyOf(clients.values())), seconds, picked);
  }
}
