package io.interestfl.client.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  @Test
  void readsEverySectionAndResolvesPathsAgainstTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("data.csv"), "InvoiceNo\n");
    Path file = dir.resolve("client.yaml");
    Files.writeString(file, """
        name: germany
        coordinator: 10.0.0.5:7070
        data: data.csv
        countries: [Germany]
        partition: {buckets: 3, bucket: 2}
        user-level-privacy:
          enabled: true
          noise-multiplier: 1.2
        serving:
          port: 0
          feedback-log: feedback/germany.csv
          policy: thompson
        tls:
          ca-cert: kit/ca.crt
          cert: kit/germany.crt
          key: kit/germany.key
        """);
    ClientConfig config = ClientConfig.load(file);
    assertEquals(dir.resolve("kit/germany.key"), config.resolve(config.tls.key));
    assertEquals("10.0.0.5", config.coordinatorHost());
    assertEquals(7070, config.coordinatorPort());
    assertEquals(dir.resolve("data.csv"), config.dataPath());
    assertEquals(2, config.partition.bucket);
    assertEquals(1.2, config.userLevelPrivacy.noiseMultiplier);
    assertEquals(dir.resolve("privacy-ledger-germany.txt"), config.ledgerPath());
    assertEquals("thompson", config.servingConfig().policy());
    assertEquals(dir.resolve("feedback/germany.csv"), config.servingConfig().feedbackLog());
  }

  @Test
  void badValuesAreNamedWithTheirKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.yaml");
    Files.writeString(file, """
        name: "bad name!"
        coordinator: nowhere
        data: missing.csv
        partition: {buckets: 2, bucket: 5}
        serving:
          feedback-log: f.csv
          policy: oracle
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientConfig.load(file));
    for (String part : new String[] {"name", "coordinator", "missing.csv", "partition", "serving.policy"}) {
      assertTrue(e.getMessage().contains(part), "should name " + part + ": " + e.getMessage());
    }
    Files.writeString(file, "name: a\ndata: x\ncountrys: [France]\n");
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> ClientConfig.load(file));
    assertTrue(typo.getMessage().contains("'countrys'") && typo.getMessage().contains("line 3"), typo.getMessage());
  }
}
