package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer-level DP inside the nodes of a real federation: each node trains with per-customer
 * DP-SGD, records every round in its own ledger before its update leaves, and reports the epsilon
 * its customers have spent with every update.
 */
class UserLevelPrivacyFederationTest {

  /** A node holding one country's customers, with customer-level DP-SGD and its own epsilon budget. */
  private static void addCustomerPrivateNode(InProcessFederation federation, String country, double epsilon) {
    federation.addNode(country.toLowerCase(), List.of(country), client -> {
      client.userLevelPrivacy.enabled = true;
      client.userLevelPrivacy.noiseMultiplier = 1.0;
      client.userLevelPrivacy.customersPerStep = 8;
      client.userLevelPrivacy.epsilon = epsilon;
    });
  }

  @Test
  void nodesRecordAndReportTheirCustomersEpsilonEveryRound(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "user-dp", 8, 16, 0.005)) {
      federation.config.rounds = 2;
      federation.config.minClients = 3;
      federation.config.minUpdates = 3;
      federation.config.roundTimeoutSeconds = 240; // rounds close when all three are in; the deadline only guards a hang
      federation.config.maxRoundRetries = 0;
      federation.start();
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        addCustomerPrivateNode(federation, country, 100);
      }
      federation.runToCompletion(5);
      JsonArray history = federation.status().getJsonArray("history");
      assertEquals(2, history.size());
      double previous = 0;
      for (int i = 0; i < 2; i++) {
        // Round r's updates report the epsilon spent up to and including round r.
        double reported = history.getJsonObject(i).getDouble("customerEpsilonMax");
        assertTrue(reported > previous, "customer epsilon grows every round: " + history.encodePrettily());
        previous = reported;
      }
      for (ClientConfig client : federation.nodeConfigs()) {
        try (PrivacyLedger ledger = PrivacyLedger.open(client.ledgerPath(), new PrivacyBudget(100, 1e-5))) {
          assertEquals(2, ledger.entries().size(), client.name + " recorded every round it trained");
          assertTrue(ledger.epsilon() > 0 && ledger.epsilon() <= 100);
        }
      }
    }
  }

  @Test
  void aNodeOutOfBudgetWithdrawsAndTheSecurelyAggregatedRoundsGoOnWithoutWaitingForIt(@TempDir Path dir)
      throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "user-dp-withdraw", 8, 16, 0.005)) {
      federation.config.rounds = 3;
      federation.config.minClients = 3;
      federation.config.minUpdates = 2;
      federation.config.maxRoundRetries = 0;
      // Deadlines far beyond the test's limit: only the withdrawal can let the rounds close in time.
      federation.config.roundTimeoutSeconds = 3600;
      federation.config.secureAggregation.enabled = true;
      federation.config.secureAggregation.phaseTimeoutSeconds = 3600;
      federation.start();
      for (String country : new String[] {"Germany", "France", "Belgium", "Spain"}) {
        // Spain's customers allow no round at all.
        addCustomerPrivateNode(federation, country, country.equals("Spain") ? 0.01 : 100);
      }
      federation.runToCompletion(4);
      JsonObject status = federation.status();
      assertEquals("FINISHED", status.getString("state"), status.encodePrettily());
      JsonArray history = status.getJsonArray("history");
      assertEquals(3, history.size(), history.encodePrettily());
      // Round 1 opens on the first three nodes to register, so Spain withdraws in round 1 or round 2.
      int withdrawnIn = -1;
      for (int i = 0; i < history.size(); i++) {
        JsonObject round = history.getJsonObject(i);
        assertEquals("committed", round.getString("outcome"), round.encodePrettily());
        assertEquals("[]", round.getJsonArray("dropped").encode(), round.encodePrettily());
        boolean sampled = round.getJsonArray("cohort").contains("spain");
        if (withdrawnIn < 0 && sampled) {
          withdrawnIn = i;
          assertEquals("[\"spain\"]", round.getJsonArray("withdrawn").encode(), round.encodePrettily());
          assertEquals(round.getJsonArray("cohort").size() - 1, round.getJsonArray("participants").size());
        } else {
          assertEquals("[]", round.getJsonArray("withdrawn").encode(), round.encodePrettily());
          assertEquals(3, round.getJsonArray("participants").size(), round.encodePrettily());
          if (withdrawnIn >= 0) {
            assertFalse(sampled, "spain is not sampled after withdrawing: " + round.encodePrettily());
          }
        }
      }
      assertTrue(withdrawnIn == 0 || withdrawnIn == 1, "spain withdrew in round 1 or 2: " + history.encodePrettily());
      assertTrue(federation.nodes.get(3).withdrawn());
      try (PrivacyLedger ledger = PrivacyLedger.open(federation.nodeConfigs().get(3).ledgerPath(),
          new PrivacyBudget(0.01, 1e-5))) {
        assertEquals(0, ledger.entries().size(), "spain spent nothing");
      }
    }
  }

  /**
   * Drift correction sends each node's mean gradient unprotected: a node whose customers are protected by its own DP
   * withdraws from such a federation instead, and the federation stops saying why.
   */
  @Test
  void aCustomerPrivateNodeWithdrawsFromADriftCorrectedFederation(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "user-dp-drift", 8, 16, 0.005).size(2, 2, 2)) {
      federation.config.training.driftCorrection = true;
      federation.start();
      addCustomerPrivateNode(federation, "Germany", 100);
      addCustomerPrivateNode(federation, "France", 100);
      federation.runToCompletion(5);
      JsonObject status = federation.status();
      assertTrue(status.getString("stopReason", "").contains("drift correction"), status.encodePrettily());
      for (ClientConfig client : federation.nodeConfigs()) {
        try (PrivacyLedger ledger = PrivacyLedger.open(client.ledgerPath(), new PrivacyBudget(100, 1e-5))) {
          assertEquals(0, ledger.entries().size(), client.name + " spent nothing on a round it did not train");
        }
      }
    }
  }
}
