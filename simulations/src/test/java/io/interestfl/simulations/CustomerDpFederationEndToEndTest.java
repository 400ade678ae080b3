package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.aggregation.CustomerDpShare;
import io.interestfl.aggregation.CustomerDpState;
import io.interestfl.client.node.ClientNode;
import io.interestfl.interest.model.CustomerContributions;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import io.interestfl.privacy.federation.PopularityPrior;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation-wide customer-level DP over real gRPC and SecAgg+ with three DL4J nodes: the histogram, the
 * transitions and the model steps are released in order, every release is in the coordinator's ledger and in
 * each node's, the released histogram carries exactly the accounted noise, and a coordinator restarted on a
 * spent ledger refuses to open another round.
 */
class CustomerDpFederationEndToEndTest {
  static final double EPSILON = 8;
  static final int MODEL_STEPS = 2;

  @Test
  void releasesInOrderWithTheAccountedNoiseAndTheSpentLedgerRefusesMore(@TempDir Path dir) throws Exception {
    JsonObject status;
    double[] truth;
    float[] state;
    try (InProcessFederation federation = federation(dir)) {
      federation.start();
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        federation.addNode(country.toLowerCase(), country);
      }
      federation.runToCompletion(8);
      status = federation.status();
      state = federation.globalModel();
      int c = state.length - federation.initialModel.length - 20 * 20;
      truth = new double[c];
      ItemHistogramRelease histogram = new ItemHistogramRelease(20, 5, 3);
      for (ClientNode node : federation.nodes) {
        double[] own = CustomerContributions.itemCounts(node.split().train(), histogram, c);
        for (int i = 0; i < c; i++) {
          truth[i] += own[i];
        }
      }
      JsonArray history = status.getJsonArray("history");
      assertEquals(2L + MODEL_STEPS, status.getLong("modelVersion"), status.encodePrettily());
      assertEquals("ITEM_HISTOGRAM", history.getJsonObject(0).getString("customerDpStep"));
      assertEquals("ITEM_TRANSITIONS", history.getJsonObject(1).getString("customerDpStep"));
      assertEquals("MODEL_STEP", history.getJsonObject(2).getString("customerDpStep"));
      JsonObject privacy = status.getJsonObject("privacy");
      double spent = privacy.getDouble("epsilon");
      assertTrue(spent <= EPSILON && spent > 0.95 * EPSILON, "the plan spends the budget: " + privacy.encode());
      for (ClientNode node : federation.nodes) {
        assertEquals(spent, node.federationCustomerEpsilon(), 1e-3 * spent, "each node's own ledger");
      }

      long population = privacy.getLong("population");
      CustomerDpRound round = new CustomerDpRound(privacy.getDouble("samplingRate"), 0.1,
          privacy.getDouble("noiseMultiplier"), population, 3);
      CustomerDpState layout = new CustomerDpState(new CustomerDpPlan(round, histogram, new ItemHistogramRelease(40, 2, 3),
          MODEL_STEPS, 1e-5), federation.initialModel.length, c, 20);
      double[] released = layout.histogram(state);
      double m1 = 0;
      double m2 = 0;
      for (int i = 2; i < c; i++) {
        double e = released[i] - truth[i];
        m1 += e / (c - 2);
        m2 += e * e / (c - 2);
      }
      double std = Math.sqrt(m2 - m1 * m1);
      CustomerDpShare share = layout.share(CustomerDpState.Step.ITEM_HISTOGRAM, 3);
      assertEquals(share.noiseStddev(), std, 0.06 * share.noiseStddev(), "released histogram noise (z sqrt k)");
      assertEquals(5 * Math.sqrt(20), share.noiseStddev(), 0.01 * share.noiseStddev());
    }

    // The same ledger, a fresh checkpoint directory: the plan resumes and the next round does not fit.
    try (InProcessFederation again = federation(dir)) {
      again.config.checkpointDir = "checkpoints-again";
      again.start();
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        again.addNode(country.toLowerCase(), country);
      }
      again.runToCompletion(3);
      JsonObject refused = again.status();
      assertEquals(0L, refused.getLong("modelVersion"), refused.encodePrettily());
      assertTrue(refused.getString("stopReason").contains("privacy budget"), refused.encode());
      assertEquals(status.getJsonObject("privacy").getDouble("epsilon"),
          refused.getJsonObject("privacy").getDouble("epsilon"), 1e-12, "nothing more was spent");
    }
  }

  private static InProcessFederation federation(Path dir) throws Exception {
    InProcessFederation federation = new InProcessFederation(dir, "cdp", 8, 16, 1e-3);
    federation.config.rounds = MODEL_STEPS;
    federation.config.minClients = 3;
    federation.config.minUpdates = 3;
    federation.config.checkpointDir = "checkpoints";
    federation.config.secureAggregation.enabled = true;
    federation.config.secureAggregation.phaseTimeoutSeconds = 20;
    federation.config.strategy.name = "fedadam";
    federation.config.strategy.serverLearningRate = 0.003;
    federation.config.strategy.tau = 1e-4;
    federation.config.privacy.mode = "customer";
    federation.config.privacy.clipNorm = 0.1;
    federation.config.privacy.epsilon = EPSILON;
    federation.config.privacy.delta = 1e-5;
    federation.config.privacy.ledger = "customer-ledger.txt";
    federation.config.privacy.customer.customersPerRound = 64;
    federation.config.privacy.customer.transitionHead = 20;
    return federation;
  }
}
