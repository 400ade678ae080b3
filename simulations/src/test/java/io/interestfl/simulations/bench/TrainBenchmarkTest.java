package io.interestfl.simulations.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench train} measures the normal and the per-customer DP-SGD step of every architecture and, where Debian's
 * torch on OpenBLAS is installed, the PyTorch peer at the same sizes in the same run.
 */
class TrainBenchmarkTest {
  private static JsonObject run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new TrainBenchmark()).execute(args);
    } finally {
      System.setOut(out);
    }
    assertEquals(0, code, captured.toString(StandardCharsets.UTF_8));
    String text = captured.toString(StandardCharsets.UTF_8);
    return new JsonObject(text.substring(text.indexOf('{')));
  }

  @Test
  void everyArchitecturesStepAndDpStepAreMeasured() {
    boolean torch = Files.isExecutable(Path.of("/usr/bin/python3"))
        && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"));
    JsonObject json = run("--model", "all", "--catalogue", "200", "--embedding", "16", "--hidden", "16", "--batch", "8",
        "--length", "5", "--steps", "3", "--dp", "--torch", torch ? "auto" : "none", "--json");
    assertEquals(4, json.getJsonArray("results").size());
    for (int i = 0; i < 4; i++) {
      JsonObject r = json.getJsonArray("results").getJsonObject(i);
      assertTrue(r.getDouble("msPerStep") > 0, r.encodePrettily());
      assertTrue(r.getDouble("dpMsPerStep") > 0, r.encodePrettily());
      if (r.getString("torchNote").startsWith("same run")) {
        assertTrue(r.getDouble("torchMsPerStep") > 0 && r.getDouble("throughputVsTorch") > 0, r.encodePrettily());
        if (!r.getString("model").equals("sasrec")) {   // the peer has no per-sample DP sasrec yet
          assertTrue(r.getDouble("torchDpMsPerStep") > 0, r.encodePrettily());
        }
      } else {
        assertTrue(r.getValue("torchMsPerStep") == null, r.encodePrettily());
      }
    }
  }

  /**
   * {@code --profile}: the training thread's JFR samples are charged to the parts of the step; at these sizes the LSTM
   * layer's forward and backward passes are a visible share, and the shares sum to one.
   */
  @Test
  void theProfileSaysWhereTheStepsTimeGoes() {
    JsonObject json = run("--model", "lstm", "--catalogue", "200", "--embedding", "16", "--hidden", "16", "--batch", "8",
        "--length", "10", "--steps", "40", "--torch", "none", "--profile", "--json");
    JsonObject profile = json.getJsonArray("results").getJsonObject(0).getJsonObject("profile");
    assertTrue(profile.getInteger("samples") >= 20, profile.encode());
    double sum = 0;
    for (String part : profile.getJsonObject("parts").fieldNames()) {
      sum += profile.getJsonObject("parts").getDouble(part);
    }
    assertEquals(1.0, sum, 1e-9);
    double lstm = profile.getJsonObject("parts").getDouble("LSTMHelpers.activateHelper", 0.0)
        + profile.getJsonObject("parts").getDouble("LSTMHelpers.backpropGradientHelper", 0.0);
    assertTrue(lstm > 0.1, "the recurrent layer's passes: " + profile.encode());
    double nativeShare = profile.getDouble("nativeShare");
    assertTrue(nativeShare > 0 && nativeShare <= 1, profile.encode());
  }
}
