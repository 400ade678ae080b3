package io.interestfl.client.node;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.serving.InterestModelRepresentations;
import io.interestfl.serving.RecommendationServer;
import io.interestfl.serving.ServingConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Serves recommendations from the final model until the node is stopped: customer vectors and item
 * vectors come from the interest model, the exploration policy from the serving section, and
 * feedback goes to the merchant's local log that the next federation trains on.
 */
record RecommendationServing(ClientConfig config, MerchantData data, AtomicBoolean stopped,
    java.util.function.Supplier<io.vertx.core.json.JsonArray> trainingHistory) {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  /** Starts the server of {@code serving} on {@code model}, and blocks until the node stops. */
  void serve(ServingConfig serving, InterestModel model) throws Exception {
    List<CustomerHistory> histories = data.histories();
    RecommendationServer server = serving.createServer(
        InterestModelRepresentations.of(model, histories, null, serving.repeatHead()).withCodes(id -> {
          io.interestfl.interest.data.ItemCatalogue catalogue = data.catalogue();
          return catalogue == null || id < io.interestfl.interest.data.ItemCatalogue.RESERVED ? null
              : catalogue.codeOf(id);
        }));
    server.nodeStatus(() -> status(model));
    int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    LOG.info(String.format("%s: serving recommendations (%s) on http://%s:%d/v1/recommendations?customer=ID&k=10 "
        + "(Authorization: Bearer <token in %s>); feedback to %s", config.name, serving.policy(), serving.host(), port,
        serving.tokenPath(), serving.feedbackLog()));
    try {
      while (!stopped.get()) {
        Thread.sleep(500);
      }
    } finally {
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** What the merchant console shows of this node: its rounds and the last entries of its privacy ledger. */
  private io.vertx.core.json.JsonObject status(InterestModel model) {
    io.vertx.core.json.JsonArray ledger = new io.vertx.core.json.JsonArray();
    java.nio.file.Path file = config.ledgerPath();
    try {
      if (java.nio.file.Files.exists(file)) {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        lines.subList(Math.max(0, lines.size() - 50), lines.size()).forEach(ledger::add);
      }
    } catch (java.io.IOException e) {
      ledger.add("cannot read " + file + ": " + e.getMessage());
    }
    return new io.vertx.core.json.JsonObject().put("node", config.name).put("parameters", model.parameterCount())
        .put("trainingRounds", trainingHistory.get()).put("privacyLedger", file.toString())
        .put("privacyLedgerEntries", ledger);
  }
}
