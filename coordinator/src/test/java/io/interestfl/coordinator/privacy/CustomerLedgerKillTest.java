package io.interestfl.coordinator.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's customer ledger under kill -9: a child JVM plans the federation and records releases
 * until it is killed (SIGKILL) between two of them; a new gate on the same files resumes the plan, has lost
 * nothing, and refuses exactly the round that would pass the budget.
 */
class CustomerLedgerKillTest {
  static final int MODEL_LENGTH = 400;
  static final int CATALOGUE = 50;
  static final long CUSTOMERS = 4_000;

  static CoordinatorConfig config(Path dir) {
    CoordinatorConfig config = new CoordinatorConfig();
    config.tls.insecure = true;
    config.rounds = 20;
    config.minClients = 3;
    config.minUpdates = 3;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.secureAggregation.enabled = true;
    config.privacy.mode = "customer";
    config.privacy.clipNorm = 0.1;
    config.privacy.epsilon = 4;
    config.privacy.ledger = "customer-ledger.txt";
    config.privacy.customer.transitionHead = 10;
    return config.baseDirectory(dir).validate("test");
  }

  /** The child: plans, then records one release every 50 ms, printing each, until killed. */
  public static void main(String[] args) throws Exception {
    FederationCustomerPrivacy gate = new FederationCustomerPrivacy(config(Path.of(args[0])), MODEL_LENGTH, CATALOGUE);
    if (gate.prepare(CUSTOMERS, 3) != null) {
      throw new IllegalStateException("no plan");
    }
    for (long version = 0; ; version++) {
      gate.record(version + 1, version, 3, 3, new JsonObject());
      System.out.println("recorded " + version);
      System.out.flush();
      Thread.sleep(50);
    }
  }

  @Test
  void aKilledCoordinatorLosesNoReleaseAndStillRefusesTheRoundOverBudget(@TempDir Path dir) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CustomerLedgerKillTest.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    int seen = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("recorded ")) {
          seen = Integer.parseInt(line.substring(9));
          if (seen == 6) {
            break;
          }
        }
      }
      child.destroyForcibly();   // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(6, seen, "the child recorded releases before it was killed");

    CoordinatorConfig config = config(dir);
    try (FederationCustomerPrivacy gate = new FederationCustomerPrivacy(config, MODEL_LENGTH, CATALOGUE)) {
      JsonObject status = gate.status();
      assertEquals(CUSTOMERS, status.getLong("population"), "the plan resumed: " + status.encode());
      long recorded = status.getInteger("roundsRecorded");
      assertTrue(recorded >= 7 && recorded <= 8, "every release the child printed is in the ledger: " + recorded);
      int total = config.rounds + gate.releaseRounds();
      for (long version = recorded; version < total; version++) {
        assertNull(gate.refusal(version, 3, 3), "planned round from v" + version + " must fit");
        gate.record(100 + version, version, 3, 3, new JsonObject());
      }
      String refusal = gate.refusal(total, 3, 3);
      assertNotNull(refusal, "one round past the plan must be refused");
      assertTrue(refusal.contains("privacy budget exhausted"), refusal);
      double spent = gate.status().getDouble("epsilon");
      assertTrue(spent <= config.privacy.epsilon && spent > 0.99 * config.privacy.epsilon, "spent " + spent);
    }
  }
}
