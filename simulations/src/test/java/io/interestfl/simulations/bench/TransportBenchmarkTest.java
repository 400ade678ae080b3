package io.interestfl.simulations.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench transport} runs the same rounds in plaintext and under mutual TLS and reports their ratio. */
class TransportBenchmarkTest {
  @Test
  void plaintextAndMutualTlsRoundsAreMeasuredInOneRun() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new TransportBenchmark()).execute("--clients", "3", "--length", "5000", "--repeat", "1",
          "--json");
    } finally {
      System.setOut(out);
    }
    assertEquals(0, code);
    String text = captured.toString(StandardCharsets.UTF_8);
    JsonObject json = new JsonObject(text.substring(text.indexOf('{')));
    for (String transport : new String[] {"plaintext", "mtls"}) {
      assertTrue(json.getJsonObject(transport).getDouble("roundSeconds") > 0, json.encodePrettily());
    }
    assertTrue(json.getJsonObject("mtlsOverPlaintext").getDouble("round") > 0, json.encodePrettily());
    assertEquals(2, new CommandLine(new TransportBenchmark()).execute("--transport", "carrier-pigeon"));
  }
}
