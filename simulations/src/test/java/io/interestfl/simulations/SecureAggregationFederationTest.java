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
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.protocol.ModelFile;
import io.interestfl.protocol.v1.SecAggPhase;
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
    Path data = DataLocation.onlineRetail();
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
    catalogue.write(dir.resolve("catalogue.txt"));
    ModelConfig spec = new ModelConfig("lstm", catalogue.size(), 10, 8, 16, 0.005, 32, 7);
    ClientCommand.writeInitialModel(spec, dir.resolve("initial.bin"));
    float[] initial = ModelFile.read(dir.resolve("initial.bin")).parameters();

    CoordinatorConfig config = new CoordinatorConfig();
    config.federationId = "secagg-it";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.rounds = 1;
    config.minClients = 5;
    config.minUpdates = 3;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.training.batchSize = 32;
    config.training.learningRate = 0.005;
    config.training.model.historyLength = 10;
    config.training.model.embeddingSize = 8;
    config.training.model.hiddenSize = 16;
    config.secureAggregation.enabled = true;
    config.secureAggregation.clipRange = CLIP_RANGE;
    config.secureAggregation.maxWeight = MAX_WEIGHT;
    config.secureAggregation.phaseTimeoutSeconds = 5;
    config.baseDirectory(dir).validate("test");

    Vertx vertx = Vertx.vertx();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    CoordinatorServer coordinator = new CoordinatorServer(config);
    vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
    List<ClientNode> nodes = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    try {
      String[][] slices = {{"germany", "Germany"}, {"france", "France"}, {"spain", "Spain"},
          {"belgium", "Belgium"}, {"alps-iberia", "Switzerland", "Portugal", "Austria"}};
      for (String[] slice : slices) {
        ClientConfig client = new ClientConfig();
        client.name = slice[0];
        client.federationId = config.federationId;
        client.coordinator = "127.0.0.1:" + coordinator.grpcPort();
        client.data = data.toString();
        client.countries = List.of(slice).subList(1, slice.length);
        client.validate("test");
        ClientNode node = new ClientNode(client, vertx, false);
        nodes.add(node);
      }
      nodes.get(2).dieAfter(SecAggPhase.MASKED_INPUT);
      for (ClientNode node : nodes) {
        runs.add(pool.submit(() -> {
          node.run();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }

      JsonObject status = coordinator.inspect(r -> r.status()).await(10, TimeUnit.SECONDS);
      assertEquals(1L, status.getLong("modelVersion"), status.encodePrettily());
      JsonObject round = status.getJsonArray("history").getJsonObject(0);
      assertEquals("committed", round.getString("outcome"));
      assertEquals(5, round.getJsonArray("participants").size(), "the killed node's masked input is in the sum");
      assertNotNull(round.getJsonObject("secureAggregation"));

      // Expected: v0 + sum_u w_u clip(x_u) / sum_u w_u, w_u = min(examples, max) / max.
      float[] committed = coordinator.inspect(r -> r.globalModel()).await(10, TimeUnit.SECONDS);
      double[] numerator = new double[initial.length];
      double denominator = 0;
      for (ClientNode node : nodes) {
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
        maxError = Math.max(maxError, Math.abs(committed[i] - (initial[i] + numerator[i] / denominator)));
      }
      // Quantization error bound (docs/secure-aggregation.md): 2 r m / (L D - m) with L = 2^23 - 1.
      double bound = 2 * CLIP_RANGE * 5 / (((1 << 23) - 1) * denominator - 5) + 1e-6;
      assertTrue(maxError <= bound, "max error " + maxError + " exceeds the quantization bound " + bound);
    } finally {
      nodes.forEach(ClientNode::close);
      pool.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
