package io.interestfl.secagg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SecAggBenchmarkTest {
  @Test
  void smallRunIsCorrectAndReportsEverything() {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      SecAggBenchmark.Result r = SecAggBenchmark.run(12, 5000, 0.25, pool);
      assertTrue(r.correct());
      assertEquals(9, r.survivors());
      assertEquals(20_000, r.plainBytes());
      assertTrue(r.bytesUpPerClient() > r.plainBytes());
      assertTrue(r.expansions() >= r.survivors());
      assertTrue(r.rawKeystreamMillis() > 0 && r.ratio() > 0);
      assertTrue(r.row().contains("yes"));
    } finally {
      pool.shutdown();
    }
  }
}
