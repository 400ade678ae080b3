package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.ListEvaluation;
import io.interestfl.simulations.reference.PythonPeer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The measuring stick of issue 13: an independent SASRec in PyTorch ({@code reference/sasrec_reference.py}, shipped
 * in this jar) trained and scored on exactly the split and metric of {@link FederatedEvaluation} - each customer's
 * last basket the test case, the one before it validation, full ranking over the catalogue - and reported as one
 * more method, {@code sasrec-torch}, per client and overall (accuracy figures only: the script reports no lists, so
 * coverage and novelty read 0).
 *
 * <p>Runs the given Python (Debian's {@code /usr/bin/python3} with {@code python3-torch}) with one OpenMP and one
 * OpenBLAS thread ({@link PythonPeer}); the script refuses to run on any BLAS but OpenBLAS (the reference BLAS is 8x slower and would make
 * the comparison meaningless in speed, though not in quality). Not a product dependency: only {@code evaluate
 * --torch-reference} calls it.
 */
public final class TorchReference {
  static final String METHOD = "sasrec-torch";
  private static final String SCRIPT = "sasrec_reference.py";

  private TorchReference() {}

  /**
   * Writes the split of {@code data}, runs the reference on it and returns its results.
   *
   * @throws IllegalStateException when Python fails (its last line of error output is in the message)
   */
  public static FederatedEvaluation.MethodResult run(Path python, EvaluationData data, PrintStream progress)
      throws IOException {
    long t0 = System.nanoTime();
    Path script = PythonPeer.extract(SCRIPT);
    Path split = Files.createTempFile("interestfl-torch-reference-split", ".txt");
    try {
      Map<Long, String> clientOf = writeSplit(data, split);
      JsonObject out = PythonPeer.run(python.toString(), script, List.of(split.toString()), 1,
          line -> progress.println("sasrec-torch: " + line));
      return result(data, clientOf, out, (System.nanoTime() - t0) / 1e9);
    } finally {
      Files.deleteIfExists(split);
      Files.deleteIfExists(script);
    }
  }

  /**
   * One line per customer, {@code id|train baskets|validation basket|test basket}: the training baskets less the
   * validation basket that {@link ValidatedFit#split} holds out ({@link TrainTestSplit#lastBasket} of the training
   * histories; empty for a customer with one training basket), and the test basket (empty without a test case).
   * Returns each customer's client.
   */
  static Map<Long, String> writeSplit(EvaluationData data, Path file) throws IOException {
    Map<Long, String> clientOf = new HashMap<>();
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("catalogue " + data.catalogue().size() + "\n");
      for (ClientData cd : data.clients()) {
        TrainTestSplit inner = TrainTestSplit.lastBasket(cd.split().train());
        Map<Long, int[]> validation = targets(inner.test());
        Map<Long, int[]> test = targets(cd.split().test());
        for (CustomerHistory c : inner.train()) {
          clientOf.put(c.customerId(), cd.name());
          StringJoiner train = new StringJoiner(";");
          for (Basket b : c.baskets()) {
            train.add(items(b.itemIds()));
          }
          w.write(c.customerId() + "|" + train + "|" + items(validation.getOrDefault(c.customerId(), new int[0]))
              + "|" + items(test.getOrDefault(c.customerId(), new int[0])) + "\n");
        }
      }
    }
    return clientOf;
  }

  private static Map<Long, int[]> targets(List<HeldOutBasket> cases) {
    Map<Long, int[]> out = new HashMap<>();
    for (HeldOutBasket t : cases) {
      out.put(t.customerId(), t.target());
    }
    return out;
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
