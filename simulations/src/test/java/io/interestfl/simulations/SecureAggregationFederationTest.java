package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientNode;
import io.interestfl.protocol.v1.SecAggPhase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SecAgg+ in a real federation: a coordinator and five DL4J client nodes in one JVM; one node dies
 * right after sending its masked input. The committed model must still be the previous model plus
 * the example-weighted mean of all five (clipped, quantized) updates: the dead node's self mask is
 * recovered from its neighbours' shares.
 */
class SecureAggregationFederationTest {
  static final double CLIP_RANGE = 0.05;
  static final double MAX_WEIGHT = 1000;

  @Test
  void aNodeKilledAfterItsMaskedInputStillCountsAndTheModelIsCorrect(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "secagg-it", 8, 16, 0.005)) {
      federation.config.training.driftCorrection = true;
      federation.config.rounds = 1;
      federation.config.minClients = 5;
      federation.config.minUpdates = 3;
      federation.config.secureAggregation.enabled = true;
      federation.config.secureAggregation.clipRange = CLIP_RANGE;
      federation.config.secureAggregation.maxWeight = MAX_WEIGHT;
      federation.config.secureAggregation.phaseTimeoutSeconds = 5;
      federation.start();
      federation.addNode("germany", "Germany");
      federation.addNode("france", "France");
      federation.addNode("spain", "Spain").dieAfter(SecAggPhase.MASKED_INPUT);
      federation.addNode("belgium", "Belgium");
      federation.addNode("alps-iberia", "Switzerland", "Portugal", "Austria");
      federation.runToCompletion(5);

      JsonObject status = federation.status();
      assertEquals(1L, status.getLong("modelVersion"), status.encodePrettily());
      JsonObject round = status.getJsonArray("history").getJsonObject(0);
      assertEquals("committed", round.getString("outcome"));
      assertEquals(5, round.getJsonArray("participants").size(), "the killed node's masked input is in the sum");
      assertNotNull(round.getJsonObject("secureAggregation"));

      // Expected: v0 + sum_u w_u clip(x_u) / sum_u w_u, w_u = min(examples, max) / max. With drift correction (on
      // without privacy) the masked vector is [delta | c_i]: the model half steps, the c half is the mean c_i.
      float[] initial = federation.initialModel;
      float[] committed = federation.globalModel();
      assertEquals(2 * initial.length, committed.length, "[model | c], masked as one vector");
      double[] numerator = new double[committed.length];
      double denominator = 0;
      for (ClientNode node : federation.nodes) {
        ClientNode.SentUpdate update = node.sentUpdate(1);
        assertNotNull(update);
        double w = Math.min(update.examples(), MAX_WEIGHT) / MAX_WEIGHT;
        denominator += w;
        for (int i = 0; i < numerator.length; i++) {
          numerator[i] += w * Math.max(-CLIP_RANGE, Math.min(CLIP_RANGE, update.delta()[i]));
        }
      }
      double maxError = 0;
      for (int i = 0; i < committed.length; i++) {
        double before = i < initial.length ? initial[i] : 0;
        maxError = Math.max(maxError, Math.abs(committed[i] - (before + numerator[i] / denominator)));
      }
      // Quantization error bound (docs/secure-aggregation.md): 2 r m / (L D - m) with L = 2^23 - 1.
      double bound = 2 * CLIP_RANGE * 5 / (((1 << 23) - 1) * denominator - 5) + 1e-6;
      assertTrue(maxError <= bound, "max error " + maxError + " exceeds the quantization bound " + bound);
    }
  }
}
