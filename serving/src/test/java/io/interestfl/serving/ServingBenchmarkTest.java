package io.interestfl.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The load benchmark runs end to end and reports both phases; its figures are not asserted (they are timings). */
class ServingBenchmarkTest {

    @Test
    void reportsTheRecommendationsAndTheHealthBaselineAsJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new ServingBenchmark()).execute("--items", "60", "--dim", "4", "--customers", "30",
                    "--observations", "2", "--concurrency", "2", "--warmup", "0", "--duration", "1",
                    "--baseline-duration", "1", "--policy", "linucb", "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, rc, "no request failed");
        JsonObject result = new JsonObject(out.toString(StandardCharsets.UTF_8));
        assertEquals("linucb", result.getString("policy"));
        for (String phase : new String[] {"recommendations", "health"}) {
            JsonObject p = result.getJsonObject(phase);
            assertTrue(p.getInteger("requests") > 0, phase + ": " + p);
            assertEquals(0L, p.getLong("errors"));
            assertTrue(p.getDouble("p50Ms") <= p.getDouble("p99Ms") && p.getDouble("p99Ms") <= p.getDouble("maxMs"), p.encode());
        }
        assertEquals(result.getJsonObject("recommendations").getDouble("requestsPerSecond")
                / result.getJsonObject("health").getDouble("requestsPerSecond"), result.getDouble("throughputRatio"), 1e-12);
    }
}
