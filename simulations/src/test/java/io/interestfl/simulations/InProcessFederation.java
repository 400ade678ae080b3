package io.interestfl.simulations;

import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.client.node.ClientCommand;
import io.interestfl.client.node.ClientConfig;
import io.interestfl.client.node.ClientNode;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.protocol.ModelFile;
import io.interestfl.security.FederationCa;
import io.interestfl.simulations.demo.DataLocation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real federation in one JVM for tests: the shared catalogue and an initial model built from the
 * Online Retail file, a coordinator on free loopback ports, and DL4J client nodes on their own
 * threads, each holding the rows of the countries it is given.
 */
final class InProcessFederation implements AutoCloseable {
  final Path data = DataLocation.onlineRetail();
  final Path dir;
  final CoordinatorConfig config = new CoordinatorConfig();
  final float[] initialModel;
  final List<ClientNode> nodes = new ArrayList<>();
  private final List<ClientConfig> nodeConfigs = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private CoordinatorServer coordinator;
  private ExecutorService pool;

  /** A small LSTM (history 10) so that tests stay fast; callers adjust {@link #config} before {@link #start}. */
  InProcessFederation(Path dir, String federationId, int embedding, int hidden, double learningRate) throws Exception {
    this.dir = dir;
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
    catalogue.write(dir.resolve("catalogue.txt"));
    ModelConfig spec = new ModelConfig("lstm", catalogue.size(), 10, embedding, hidden, learningRate, 32, 7);
    ClientCommand.writeInitialModel(spec, dir.resolve("initial.bin"));
    initialModel = ModelFile.read(dir.resolve("initial.bin")).parameters();
    config.federationId = federationId;
    config.grpcPort = 0;
    config.adminPort = 0;
    config.roundTimeoutSeconds = 300;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.training.batchSize = 32;
    config.training.learningRate = learningRate;
    config.training.model.historyLength = 10;
    config.training.model.embeddingSize = embedding;
    config.training.model.hiddenSize = hidden;
    // Mutual TLS as in production: a throw-away CA, the coordinator's certificate, one per node (addNode).
    // (a second federation in the same directory, e.g. a restarted coordinator, keeps the CA and the kits)
    boolean existing = java.nio.file.Files.exists(dir.resolve("pki/ca.key"));
    ca = existing ? FederationCa.open(dir.resolve("pki"))
        : FederationCa.create(dir.resolve("pki"), federationId, Duration.ofDays(1));
    if (!existing) {
      ca.issueKit("coordinator", FederationCa.Role.COORDINATOR, List.of("localhost", "127.0.0.1"), Duration.ofDays(1),
          dir.resolve("pki/kits/coordinator"));
    }
    config.tls.caCert = "pki/ca.crt";
    config.tls.cert = "pki/kits/coordinator/coordinator.crt";
    config.tls.key = "pki/kits/coordinator/coordinator.key";
    config.tls.crl = "pki/crl.pem";
    config.tls.crlReloadSeconds = 1;
  }

  /** The federation's CA (for tests that issue, revoke or forge identities). */
  final FederationCa ca;

  /** A startup kit for {@code name} under pki/kits/NAME. */
  Path issue(String name) throws java.io.IOException {
    Path kit = dir.resolve("pki/kits/" + name);
    ca.issueKit(name, FederationCa.Role.NODE, List.of(), Duration.ofDays(1), kit);
    return kit;
  }

  /** Sets the federation's rounds, min-clients and min-updates (before {@link #start}). */
  InProcessFederation size(int rounds, int minClients, int minUpdates) {
    config.rounds = rounds;
    config.minClients = minClients;
    config.minUpdates = minUpdates;
    return this;
  }

  InProcessFederation start() throws Exception {
    config.baseDirectory(dir).validate("test");
    coordinator = new CoordinatorServer(config);
    vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
    return this;
  }

  /** Adds a node holding the rows of {@code countries}; start the federation first. */
  ClientNode addNode(String name, List<String> countries, Consumer<ClientConfig> customise) {
    ClientConfig client = new ClientConfig();
    client.name = name;
    client.federationId = config.federationId;
    client.coordinator = "127.0.0.1:" + coordinator.grpcPort();
    client.data = data.toString();
    client.countries = countries;
    client.baseDirectory(dir);
    try {
      if (!java.nio.file.Files.exists(dir.resolve("pki/kits/" + name + "/" + name + ".crt"))) {
        issue(name);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    client.tls.caCert = "pki/kits/" + name + "/ca.crt";
    client.tls.cert = "pki/kits/" + name + "/" + name + ".crt";
    client.tls.key = "pki/kits/" + name + "/" + name + ".key";
    customise.accept(client);
    client.validate("test");
    ClientNode node = new ClientNode(client, vertx, false);
    nodes.add(node);
    nodeConfigs.add(client);
    return node;
  }

  ClientNode addNode(String name, String... countries) {
    return addNode(name, List.of(countries), c -> { });
  }

  List<ClientConfig> nodeConfigs() {
    return nodeConfigs;
  }

  /** Runs every node until the federation finishes (or the node leaves). */
  void runToCompletion(int minutes) throws Exception {
    pool = Executors.newFixedThreadPool(nodes.size());
    List<Future<?>> runs = new ArrayList<>();
    for (ClientNode node : nodes) {
      runs.add(pool.submit(() -> {
        node.run();
        return null;
      }));
    }
    for (Future<?> run : runs) {
      run.get(minutes, TimeUnit.MINUTES);
    }
  }

  int grpcPort() {
    return coordinator.grpcPort();
  }

  int adminPort() {
    return coordinator.adminPort();
  }

  Vertx vertx() {
    return vertx;
  }

  JsonObject status() throws Exception {
    return coordinator.inspect(r -> r.status()).await(10, TimeUnit.SECONDS);
  }

  float[] globalModel() throws Exception {
    return coordinator.inspect(r -> r.globalModel()).await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    nodes.forEach(ClientNode::close);
    if (pool != null) {
      pool.shutdownNow();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
