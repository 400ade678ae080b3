package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.data.ItemCatalogue;
import io.interestfl.client.data.OnlineRetailLoader;
import io.interestfl.client.model.ModelConfig;
import io.interestfl.client.node.ClientCommand;
import io.interestfl.client.node.ClientConfig;
import io.interestfl.client.node.ClientNode;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.DistributedPrivacy;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.protocol.ModelFile;
import io.interestfl.simulations.demo.DataLocation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    Path data = DataLocation.onlineRetail();
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
    catalogue.write(dir.resolve("catalogue.txt"));
    ModelConfig spec = new ModelConfig("lstm", catalogue.size(), 10, 8, 16, 0.005, 32, 7);
    ClientCommand.writeInitialModel(spec, dir.resolve("initial.bin"));
    float[] initial = ModelFile.read(dir.resolve("initial.bin")).parameters();

    CoordinatorConfig config = new CoordinatorConfig();
    config.federationId = "ddp";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.rounds = 5;
    config.minClients = 3;
    config.minUpdates = 3;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.training.batchSize = 32;
    config.training.model.historyLength = 10;
    config.training.model.embeddingSize = 8;
    config.training.model.hiddenSize = 16;
    config.secureAggregation.enabled = true;
    config.secureAggregation.phaseTimeoutSeconds = 10;
    config.privacy.mode = "distributed";
    config.privacy.clipNorm = CLIP;
    config.privacy.noiseMultiplier = Z;
    config.privacy.delta = 1e-5;
    config.privacy.ledger = "ledger.txt";
    // Budget: one round fits, two do not.
    Path scratch = dir.resolve("scratch-ledger.txt");
    double oneRound;
    double twoRounds;
    try (DistributedPrivacy probe = new DistributedPrivacy(CLIP, Z, 3, config.secureAggregation.precisionBits,
        initial.length, new PrivacyBudget(1e9, 1e-5), scratch)) {
      oneRound = probe.mechanism().epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
      // zCDP composes by adding rho, so two rounds cost epsilon(2 rho), less than twice epsilon(rho).
      twoRounds = new io.interestfl.privacy.accounting.ZcdpMechanism(2 * probe.mechanism().rho())
          .epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
    }
    config.privacy.epsilon = (oneRound + twoRounds) / 2;
    config.baseDirectory(dir).validate("test");

    Vertx vertx = Vertx.vertx();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CoordinatorServer coordinator = new CoordinatorServer(config);
    vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
    List<ClientNode> nodes = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    try {
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        ClientConfig client = new ClientConfig();
        client.name = country.toLowerCase();
        client.federationId = config.federationId;
        client.coordinator = "127.0.0.1:" + coordinator.grpcPort();
        client.data = data.toString();
        client.countries = List.of(country);
        client.validate("test");
        ClientNode node = new ClientNode(client, vertx, false);
        nodes.add(node);
        runs.add(pool.submit(() -> {
          node.run();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }
      JsonObject status = coordinator.inspect(r -> r.status()).await(10, TimeUnit.SECONDS);
      assertEquals(1L, status.getLong("modelVersion"), "the second round would exceed the budget");
      assertTrue(status.getString("stopReason").contains("privacy budget"), status.encode());
      // The ledger converts on its grid of RDP orders, the probe over all real orders: equal to 1e-3.
      assertEquals(oneRound, status.getJsonObject("privacy").getDouble("epsilon"), oneRound * 1e-3);
      assertEquals(oneRound, status.getJsonArray("history").getJsonObject(0).getDouble("epsilon"), oneRound * 1e-3);

      // Released model minus (initial + mean of the clipped deltas) is the noise of the mean:
      // per coordinate stddev sqrt(n v) r / (L n), v the per-client variance in levels.
      float[] committed = coordinator.inspect(r -> r.globalModel()).await(10, TimeUnit.SECONDS);
      double[] mean = new double[initial.length];
      for (ClientNode node : nodes) {
        ClientNode.SentUpdate update = node.sentUpdate(1);
        assertNotNull(update);
        float[] clipped = update.delta().clone();
        new io.interestfl.privacy.clipping.L2Clipper(CLIP).clip(clipped);
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
      double perClientVariance;
      double clipRange;
      try (DistributedPrivacy probe = new DistributedPrivacy(CLIP, Z, 3, config.secureAggregation.precisionBits,
          initial.length, new PrivacyBudget(1e9, 1e-5), dir.resolve("scratch-ledger-2.txt"))) {
        perClientVariance = probe.perClientVariance();
        clipRange = probe.clipRange();
      }
      double expectedStd = Math.sqrt(3 * perClientVariance) * clipRange / (levels * 3);
      assertEquals(expectedStd, empiricalStd, expectedStd * 0.02, "noise of the released mean");
      // Noise of at least Z * CLIP / n in model units: the sum was private before anyone unmasked it.
      assertTrue(expectedStd >= Z * CLIP / 3, expectedStd + " vs " + Z * CLIP / 3);
    } finally {
      nodes.forEach(ClientNode::close);
      pool.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
