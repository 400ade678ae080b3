package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.vertx.core.json.JsonArray;
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

  @Test
  void nodesRecordAndReportTheirCustomersEpsilonEveryRound(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "user-dp", 8, 16, 0.005)) {
      federation.config.rounds = 2;
      federation.config.minClients = 3;
      federation.config.minUpdates = 3;
      federation.config.roundTimeoutSeconds = 20;
      federation.config.maxRoundRetries = 0;
      federation.start();
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        federation.addNode(country.toLowerCase(), List.of(country), client -> {
          client.userLevelPrivacy.enabled = true;
          client.userLevelPrivacy.noiseMultiplier = 1.0;
          client.userLevelPrivacy.customersPerStep = 8;
          client.userLevelPrivacy.epsilon = 100;
        });
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
}
