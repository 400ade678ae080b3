package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.data.ItemCatalogue;
import io.interestfl.client.data.OnlineRetailLoader;
import io.interestfl.client.model.ModelConfig;
import io.interestfl.client.node.ClientCommand;
import io.interestfl.client.node.ClientConfig;
import io.interestfl.client.node.ClientNode;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.simulations.demo.DataLocation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
 * Customer-level DP inside the nodes of a real federation: each node trains with per-customer
 * DP-SGD, records every round in its own ledger before its update leaves, and reports the epsilon
 * its customers have spent with every update.
 */
class UserLevelPrivacyFederationTest {

  @Test
  void nodesRecordAndReportTheirCustomersEpsilonEveryRound(@TempDir Path dir) throws Exception {
    Path data = DataLocation.onlineRetail();
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
    catalogue.write(dir.resolve("catalogue.txt"));
    ModelConfig spec = new ModelConfig("lstm", catalogue.size(), 10, 8, 16, 0.005, 32, 7);
    ClientCommand.writeInitialModel(spec, dir.resolve("initial.bin"));

    CoordinatorConfig config = new CoordinatorConfig();
    config.federationId = "user-dp";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.rounds = 2;
    config.minClients = 3;
    config.minUpdates = 3;
    config.roundTimeoutSeconds = 20;
    config.maxRoundRetries = 0;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.training.batchSize = 32;
    config.training.model.historyLength = 10;
    config.training.model.embeddingSize = 8;
    config.training.model.hiddenSize = 16;
    config.baseDirectory(dir).validate("test");

    Vertx vertx = Vertx.vertx();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CoordinatorServer coordinator = new CoordinatorServer(config);
    vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
    List<ClientNode> nodes = new ArrayList<>();
    List<ClientConfig> configs = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    try {
      for (String country : new String[] {"Germany", "France", "Spain"}) {
        ClientConfig client = new ClientConfig();
        client.name = country.toLowerCase();
        client.federationId = config.federationId;
        client.coordinator = "127.0.0.1:" + coordinator.grpcPort();
        client.data = data.toString();
        client.countries = List.of(country);
        client.userLevelPrivacy.enabled = true;
        client.userLevelPrivacy.noiseMultiplier = 1.0;
        client.userLevelPrivacy.customersPerStep = 8;
        client.userLevelPrivacy.epsilon = 100;
        client.baseDirectory(dir).validate("test");
        configs.add(client);
      }
      for (ClientConfig client : configs) {
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
      JsonArray history = coordinator.inspect(r -> r.status()).await(10, TimeUnit.SECONDS).getJsonArray("history");
      assertEquals(2, history.size());
      double previous = 0;
      for (int i = 0; i < 2; i++) {
        // Round r's updates report the epsilon spent up to and including round r.
        double reported = history.getJsonObject(i).getDouble("customerEpsilonMax");
        assertTrue(reported > previous, "customer epsilon grows every round: " + history.encodePrettily());
        previous = reported;
      }
      for (ClientConfig client : configs) {
        try (PrivacyLedger ledger = PrivacyLedger.open(client.ledgerPath(), new PrivacyBudget(100, 1e-5))) {
          assertEquals(2, ledger.entries().size(), client.name + " recorded every round it trained");
          assertTrue(ledger.epsilon() > 0 && ledger.epsilon() <= 100);
        }
      }
    } finally {
      nodes.forEach(ClientNode::close);
      pool.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
