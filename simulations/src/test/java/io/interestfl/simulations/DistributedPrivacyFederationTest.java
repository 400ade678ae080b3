package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientNode;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.DistributedPrivacy;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.ZcdpMechanism;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.clipping.L2Clipper;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed DP under secure aggregation: each node adds its share of discrete Gaussian noise
 * before masking, so the unmasked sum is already private. The released model's noise must have the
 * configured size, the round must be in the ledger, and the federation must stop at its budget.
 */
class DistributedPrivacyFederationTest {
  static final double CLIP = 0.5;
  static final double Z = 1.0;

  @Test
  void theUnmaskedSumCarriesNoiseOfTheConfiguredSizeAndTheBudgetStopsTraining(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "ddp", 8, 16, 1e-3)) {
      CoordinatorConfig config = federation.config;
      float[] initial = federation.initialModel;
      config.rounds = 5;
      config.minClients = 3;
      config.minUpdates = 3;
      config.secureAggregation.enabled = true;
      config.secureAggregation.phaseTimeoutSeconds = 10;
      config.privacy.mode = "distributed";
      config.privacy.clipNorm = CLIP;
      config.privacy.noiseMultiplier = Z;
      config.privacy.delta = 1e-5;
      config.privacy.ledger = "ledger.txt";
      // Budget: one round fits, two do not.
      double oneRound;
      double twoRounds;
      double perClientVariance;
      double clipRange;
      try (DistributedPrivacy probe = new DistributedPrivacy(CLIP, Z, 3, config.secureAggregation.precisionBits,
          initial.length, new PrivacyBudget(1e9, 1e-5), dir.resolve("scratch-ledger.txt"))) {
        oneRound = probe.mechanism().epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
        // zCDP composes by adding rho, so two rounds cost epsilon(2 rho), less than twice epsilon(rho).
        twoRounds = new ZcdpMechanism(2 * probe.mechanism().rho()).epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
        perClientVariance = probe.perClientVariance();
        clipRange = probe.clipRange();
      }
      config.privacy.epsilon = (oneRound + twoRounds) / 2;
      federation.start();
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        federation.addNode(country.toLowerCase(), country);
      }
      federation.runToCompletion(5);

      JsonObject status = federation.status();
      assertEquals(1L, status.getLong("modelVersion"), "the second round would exceed the budget");
      assertTrue(status.getString("stopReason").contains("privacy budget"), status.encode());
      // The ledger converts on its grid of RDP orders, the probe over all real orders: equal to 1e-3.
      assertEquals(oneRound, status.getJsonObject("privacy").getDouble("epsilon"), oneRound * 1e-3);
      assertEquals(oneRound, status.getJsonArray("history").getJsonObject(0).getDouble("epsilon"), oneRound * 1e-3);

      // Released model minus (initial + mean of the clipped deltas) is the noise of the mean:
      // per coordinate stddev sqrt(n v) r / (L n), v the per-client variance in levels.
      float[] committed = federation.globalModel();
      double[] mean = new double[initial.length];
      for (ClientNode node : federation.nodes) {
        ClientNode.SentUpdate update = node.sentUpdate(1);
        assertNotNull(update);
        float[] clipped = update.delta().clone();
        new L2Clipper(CLIP).clip(clipped);
        for (int i = 0; i < mean.length; i++) {
          mean[i] += clipped[i] / 3.0;
        }
      }
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < mean.length; i++) {
        double noise = committed[i] - initial[i] - mean[i];
        sum += noise;
        squares += noise * noise;
      }
      double empiricalStd = Math.sqrt(squares / mean.length - Math.pow(sum / mean.length, 2));
      double levels = (1L << (config.secureAggregation.precisionBits - 1)) - 1;
      double expectedStd = Math.sqrt(3 * perClientVariance) * clipRange / (levels * 3);
      assertEquals(expectedStd, empiricalStd, expectedStd * 0.02, "noise of the released mean");
      // Noise of at least Z * CLIP / n in model units: the sum was private before anyone unmasked it.
      assertTrue(expectedStd >= Z * CLIP / 3, expectedStd + " vs " + Z * CLIP / 3);
    }
  }
}
