package io.interestfl.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorConfigTest {
  @Test
  void readsKebabCaseYamlAndResolvesPathsAgainstTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("coordinator.yaml");
    Files.writeString(file, """
        federation-id: shops
        rounds: 5
        min-clients: 3
        min-updates: 2
        catalogue: data/catalogue.txt
        initial-model: model.bin
        strategy:
          name: fedadam
          server-learning-rate: 0.01
        training:
          local-epochs: 2
          model:
            architecture: attention
        tls:
          ca-cert: pki/ca.crt
          cert: pki/coordinator.crt
          key: pki/coordinator.key
        """);
    CoordinatorConfig config = CoordinatorConfig.load(file);
    assertEquals(dir.resolve("pki/ca.crt"), config.resolve(config.tls.caCert));
    assertEquals("shops", config.federationId);
    assertEquals(5, config.rounds);
    assertEquals("fedadam", config.strategy().name());
    assertEquals("attention", config.training.model.architecture);
    assertEquals(dir.resolve("data/catalogue.txt"), config.resolve(config.catalogue));
  }

  @Test
  void mutualTlsIsRequiredUnlessInsecureIsSaidExplicitly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "catalogue: c.txt\ninitial-model: m.bin\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("tls.ca-cert, tls.cert and tls.key are required"), e.getMessage());
    Files.writeString(file, "catalogue: c.txt\ninitial-model: m.bin\ntls:\n  insecure: true\n");
    assertTrue(CoordinatorConfig.load(file).tls.insecure);
  }

  /**
   * training.sparse-rows needs the plain updates: refused under secure aggregation, and in the clear its pipeline
   * averages a coordinate over the nodes that changed it only.
   */
  @Test
  void sparseRowsNeedsPlainUpdatesAndAveragesOverTheNodesThatChangedARow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    String base = "catalogue: c.txt\ninitial-model: m.bin\ntls:\n  insecure: true\ntraining:\n  sparse-rows: true\n";
    Files.writeString(file, base + "secure-aggregation:\n  enabled: true\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("training.sparse-rows") && e.getMessage().contains("in the clear"), e.getMessage());
    Files.writeString(file, base);
    CoordinatorConfig config = CoordinatorConfig.load(file);
    try (io.interestfl.coordinator.privacy.PrivacyGate gate = io.interestfl.coordinator.privacy.PrivacyGate.of(config, 2, 2)) {
      io.interestfl.aggregation.Aggregator mean = gate.pipeline(new io.interestfl.aggregation.ModelAverage(),
          config.secureAggregation).open(2, 2);
      mean.accept(new float[] {0.4f, 0.2f}, 10);
      mean.accept(new float[] {0f, 0.6f}, 10);    // this node never touched coordinate 0
      float[] m = mean.release();
      assertEquals(0.4f, m[0], 1e-6f, "the row keeps the one node's update");
      assertEquals(0.4f, m[1], 1e-6f, "a dense coordinate is the plain mean");
    }
  }

  @Test
  void anUnknownKeyIsAnErrorThatNamesItAndItsLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "catalogue: c.txt\ninitial-model: m.bin\nroundz: 3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("'roundz'") && e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void everyBadValueIsReportedWithItsKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        rounds: 0
        cohort-fraction: 1.5
        strategy:
          name: krum
        training:
          model:
            architecture: transformer
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    for (String key : new String[] {"rounds", "cohort-fraction", "krum", "transformer", "catalogue", "initial-model"}) {
      assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }
  }

  @Test
  void overSelectionAndPaceAreReadAndCheckedByName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    String base = "catalogue: c.txt\ninitial-model: m.bin\ntls:\n  insecure: true\n";
    Files.writeString(file, base + "over-selection: 1.3\npace:\n  target-polls-per-second: 50\n");
    CoordinatorConfig config = CoordinatorConfig.load(file);
    assertEquals(1.3, config.overSelection, 0);
    assertEquals(50, config.pace.targetPollsPerSecond, 0);
    Files.writeString(file, base + "over-selection: 1.3\nsecure-aggregation:\n  enabled: true\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("over-selection needs plaintext updates"), e.getMessage());
    Files.writeString(file, base + "over-selection: 0.5\n");
    e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("over-selection must be in [1, 3]"), e.getMessage());
    Files.writeString(file, base + "pace:\n  min-poll-millis: 1000\n  max-poll-millis: 10\n");
    e = assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.load(file));
    assertTrue(e.getMessage().contains("min-poll-millis <= max-poll-millis"), e.getMessage());
  }
}
