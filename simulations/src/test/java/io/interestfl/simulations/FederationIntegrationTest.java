package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real federation in one JVM: the Vert.x coordinator and three DL4J client nodes (Germany, France,
 * Spain+Belgium+Switzerland+Portugal) over loopback gRPC, two rounds on the real Online Retail data.
 */
class FederationIntegrationTest {

  @Test
  void twoRoundsOfFedAvgOnRealDataCommitTheWeightedMeanAndImproveHitRate(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "it", 16, 32, 0.005)) {
      federation.config.training.driftCorrection = true;
      federation.config.rounds = 2;
      federation.config.minClients = 3;
      federation.config.minUpdates = 3;
      federation.config.training.localEpochs = 2;
      federation.start();
      // Germany adapts the final model locally (epochs chosen on its validation baskets) and reports it.
      federation.addNode("germany", List.of("Germany"), client -> client.adaptEpochs = 3);
      federation.addNode("france", "France");
      federation.addNode("iberia-benelux-ch", "Spain", "Belgium", "Switzerland", "Portugal");
      federation.runToCompletion(10);

      JsonObject status = federation.status();
      assertEquals("FINISHED", status.getString("state"));
      assertEquals(2L, status.getLong("modelVersion"));

      // Drift correction is on (privacy none): the federation's vector is [model | c], each node sent
      // [delta | c_i]. The committed v2's model is v0 plus the example-weighted mean delta of round 1, plus that of
      // round 2; its c is the example-weighted mean of round 2's c_i.
      float[] initial = federation.initialModel;
      float[] committed = federation.globalModel();
      int p = initial.length;
      assertEquals(2 * p, committed.length, "[model | c]");
      assertEquals("fedavg+scaffold", status.getString("strategy"));
      double[] expected = new double[2 * p];
      for (int i = 0; i < p; i++) {
        expected[i] = initial[i];
      }
      for (long round = 1; round <= 2; round++) {
        double total = 0;
        double[] sum = new double[2 * p];
        for (ClientNode node : federation.nodes) {
          ClientNode.SentUpdate update = node.sentUpdate(round);
          assertNotNull(update, "every node sent an update in round " + round);
          assertEquals(2 * p, update.delta().length);
          total += update.examples();
          for (int i = 0; i < sum.length; i++) {
            sum[i] += update.examples() * (double) update.delta()[i];
          }
        }
        for (int i = 0; i < p; i++) {
          expected[i] = (float) (expected[i] + sum[i] / total);
          expected[p + i] = (float) (sum[p + i] / total);
        }
      }
      double maxError = 0;
      double gradientNorm = 0;
      for (int i = 0; i < committed.length; i++) {
        maxError = Math.max(maxError, Math.abs(committed[i] - expected[i]));
        gradientNorm += i >= p ? committed[i] * (double) committed[i] : 0;
      }
      assertTrue(maxError < 1e-5, "committed vector differs from the weighted means by " + maxError);
      assertTrue(gradientNorm > 0, "the nodes sent their mean gradients");

      // Trained beats untrained on the clients' held-out baskets (full ranking, HR@10).
      JsonObject federated = status.getJsonObject("evaluations").getJsonObject("federated");
      double untrained = federated.getJsonObject("v0").getJsonObject("overall").getDouble("hitRate@10");
      double trained = federated.getJsonObject("v2").getJsonObject("overall").getDouble("hitRate@10");
      assertTrue(trained > untrained + 0.1, "HR@10 after two rounds " + trained + " vs untrained " + untrained);
      JsonObject adapted = status.getJsonObject("evaluations").getJsonObject("adapted").getJsonObject("clients");
      assertEquals(List.of("germany"), List.copyOf(adapted.fieldNames()), "only the node configured to adapt");
      int epochs = adapted.getJsonObject("germany").getInteger("epochs");
      assertTrue(epochs >= 0 && epochs <= 3, "epochs chosen in 0..3: " + epochs);
    }
  }
}
