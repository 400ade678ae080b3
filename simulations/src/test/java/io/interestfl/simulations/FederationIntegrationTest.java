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
 * A real federation in one JVM: the Vert.x coordinator and three DL4J client nodes (Germany, France,
 * Spain+Belgium+Switzerland+Portugal) over loopback gRPC, two rounds on the real Online Retail data.
 */
class FederationIntegrationTest {

  @Test
  void twoRoundsOfFedAvgOnRealDataCommitTheWeightedMeanAndImproveHitRate(@TempDir Path dir) throws Exception {
    Path data = DataLocation.onlineRetail();
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
    catalogue.write(dir.resolve("catalogue.txt"));
    ModelConfig spec = new ModelConfig("lstm", catalogue.size(), 10, 16, 32, 0.005, 32, 7);
    ClientCommand.writeInitialModel(spec, dir.resolve("initial.bin"));
    float[] initial = ModelFile.read(dir.resolve("initial.bin")).parameters();

    CoordinatorConfig config = new CoordinatorConfig();
    config.federationId = "it";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.rounds = 2;
    config.minClients = 3;
    config.minUpdates = 3;
    config.roundTimeoutSeconds = 300;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.training.localEpochs = 2;
    config.training.batchSize = 32;
    config.training.learningRate = 0.005;
    config.training.model.historyLength = 10;
    config.training.model.embeddingSize = 16;
    config.training.model.hiddenSize = 32;
    config.baseDirectory(dir).validate("test");

    Vertx vertx = Vertx.vertx();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CoordinatorServer coordinator = new CoordinatorServer(config);
    vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
    List<ClientNode> nodes = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    try {
      String[][] slices = {{"germany", "Germany"}, {"france", "France"},
          {"iberia-benelux-ch", "Spain", "Belgium", "Switzerland", "Portugal"}};
      for (String[] slice : slices) {
        ClientConfig client = new ClientConfig();
        client.name = slice[0];
        client.federationId = "it";
        client.coordinator = "127.0.0.1:" + coordinator.grpcPort();
        client.data = data.toString();
        client.countries = List.of(slice).subList(1, slice.length);
        client.validate("test");
        ClientNode node = new ClientNode(client, vertx, false);
        nodes.add(node);
        runs.add(pool.submit(() -> {
          node.run();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(10, TimeUnit.MINUTES);
      }

      JsonObject status = coordinator.inspect(r -> r.status()).await(10, TimeUnit.SECONDS);
      assertEquals("FINISHED", status.getString("state"));
      assertEquals(2L, status.getLong("modelVersion"));

      // The committed v2 is v0 plus the example-weighted mean of round 1, plus that of round 2.
      float[] committed = coordinator.inspect(r -> r.globalModel()).await(10, TimeUnit.SECONDS);
      double[] expected = new double[initial.length];
      for (int i = 0; i < initial.length; i++) {
        expected[i] = initial[i];
      }
      for (long round = 1; round <= 2; round++) {
        double total = 0;
        double[] sum = new double[initial.length];
        for (ClientNode node : nodes) {
          ClientNode.SentUpdate update = node.sentUpdate(round);
          assertNotNull(update, "every node sent an update in round " + round);
          total += update.examples();
          for (int i = 0; i < sum.length; i++) {
            sum[i] += update.examples() * (double) update.delta()[i];
          }
        }
        for (int i = 0; i < sum.length; i++) {
          expected[i] = (float) (expected[i] + sum[i] / total);
        }
      }
      double maxError = 0;
      for (int i = 0; i < committed.length; i++) {
        maxError = Math.max(maxError, Math.abs(committed[i] - expected[i]));
      }
      assertTrue(maxError < 1e-5, "committed model differs from the weighted mean by " + maxError);

      // Trained beats untrained on the clients' held-out baskets (full ranking, HR@10).
      JsonObject federated = status.getJsonObject("evaluations").getJsonObject("federated");
      double untrained = federated.getJsonObject("v0").getJsonObject("overall").getDouble("hitRate@10");
      double trained = federated.getJsonObject("v2").getJsonObject("overall").getDouble("hitRate@10");
      assertTrue(trained > untrained + 0.1, "HR@10 after two rounds " + trained + " vs untrained " + untrained);
    } finally {
      nodes.forEach(ClientNode::close);
      pool.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
