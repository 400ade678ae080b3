package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.DataSummary;
import io.interestfl.interest.data.ItemCatalogue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchReferenceTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static ItemCatalogue catalogue(int products) {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < products; i++) {
      codes.add("p" + i);
    }
    return ItemCatalogue.of(codes);
  }

  private static CustomerHistory customer(long id, int[]... baskets) {
    List<Basket> out = new ArrayList<>();
    for (int b = 0; b < baskets.length; b++) {
      out.add(new Basket(1000L * b, baskets[b]));
    }
    return new CustomerHistory(id, out);
  }

  @Test
  void splitHoldsOutTheSameValidationAndTestBasketsAsTheEvaluation(@TempDir Path dir) throws Exception {
    EvaluationData data = new EvaluationData(catalogue(10), List.of(
        ClientData.of("a", List.of(customer(7, new int[]{2}, new int[]{3, 4}, new int[]{5}, new int[]{6, 1}))),
        ClientData.of("b", List.of(customer(9, new int[]{8}, new int[]{9}), customer(11, new int[]{10})))),
        new DataSummary(3, 9, 8, 0, 1), "test");
    Path file = dir.resolve("split.txt");
    Map<Long, String> clientOf = TorchReference.writeSplit(data, file);
    // customer 7: train 2 ; 3 4, validation 5, test 6 (the OOV id 1 dropped); 9: one training basket, so no
    // validation, test 9; 11: one basket in all stays in training only.
    assertEquals(List.of("catalogue 12", "7|2;3 4|5|6", "9|8||9", "11|10||"), Files.readAllLines(file));
    assertEquals(Map.of(7L, "a", 9L, "b", 11L, "b"), clientOf);
  }

  @Test
  void resultSumsTheScriptsCasesPerClient() {
    EvaluationData data = new EvaluationData(catalogue(10), List.of(
        ClientData.of("a", List.of(customer(1, new int[]{2}, new int[]{3}))),
        ClientData.of("b", List.of(customer(2, new int[]{2}, new int[]{3}), customer(3, new int[]{2}, new int[]{4})))),
        new DataSummary(3, 9, 6, 0, 1), "test");
    JsonObject out = new JsonObject()
        .put("cases", new JsonArray().add(new JsonArray().add(1).add(1.0).add(1.0).add(1.0))
            .add(new JsonArray().add(2).add(0.5).add(1.0).add(0.25))
            .add(new JsonArray().add(3).add(0.0).add(0.0).add(0.01)))
        .put("chosen", new JsonObject().put("epochs", 12).put("maxlen", 50).put("dropout", 0.2));
    FederatedEvaluation.MethodResult r = TorchReference.result(data,
        Map.of(1L, "a", 2L, "b", 3L, "b"), out, 1.5);
    assertEquals("sasrec-torch", r.method());
    assertEquals(1.0, r.clients().get("a").ndcg(), 1e-12);
    assertEquals(0.25, r.clients().get("b").ndcg(), 1e-12);
    assertEquals(0.5, r.clients().get("b").hitRate(), 1e-12);
    assertEquals(0.5, r.overall().ndcg(), 1e-12);
    assertEquals(3, r.overall().users());
    assertEquals(12, r.chosen().get(FederatedEvaluation.ALL));
    JsonObject stranger = out.copy().put("cases", new JsonArray().add(new JsonArray().add(99).add(1.0).add(1.0)
        .add(1.0)));
    assertThrows(IllegalStateException.class, () -> TorchReference.result(data, Map.of(1L, "a"), stranger, 1));
  }

  /** Where Debian's torch on OpenBLAS is installed: the reference learns a chain it cannot miss. */
  @Test
  void referenceLearnsADeterministicChain() throws Exception {
    assumeTrue(hasTorchOnOpenBlas(), "/usr/bin/python3 has no torch on OpenBLAS (apt-get install python3-torch "
        + "libopenblas0-pthread): the PyTorch reference is not run here");
    int products = 30;
    List<CustomerHistory> customers = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      int[][] baskets = new int[8][];
      for (int b = 0; b < 8; b++) {
        baskets[b] = new int[]{2 + (u + b) % products};   // item k is always followed by item k + 1
      }
      customers.add(customer(u + 1, baskets));
    }
    EvaluationData data = new EvaluationData(catalogue(products), List.of(ClientData.of("chain", customers)),
        new DataSummary(60, products, 480, 0, 1), "chain");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FederatedEvaluation.MethodResult r = TorchReference.run(PYTHON, data, new PrintStream(log, true));
    assertEquals(60, r.overall().users());
    assertTrue(r.overall().ndcg() > 0.9, "a deterministic chain is learnt: NDCG@10 " + r.overall().ndcg() + "\n" + log);
  }

  private static boolean hasTorchOnOpenBlas() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0
        && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"));
  }
}
