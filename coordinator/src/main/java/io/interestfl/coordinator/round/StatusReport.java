package io.interestfl.coordinator.round;

import io.interestfl.coordinator.catalogue.Catalogue;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.PrivacyGate;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /status}: the clients, the round loop's state, every closed round's history entry, the
 * evaluations and, with differential privacy, what is spent.
 */
final class StatusReport {
  private final CoordinatorConfig config;
  private final ClientRegistry registry;
  private final Catalogue catalogue;
  private final int modelLength;
  private final String strategy;
  private final EvaluationBook evaluations;
  private final PrivacyGate privacy;

  StatusReport(CoordinatorConfig config, ClientRegistry registry, Catalogue catalogue, int modelLength,
      String strategy, EvaluationBook evaluations, PrivacyGate privacy) {
    this.config = config;
    this.registry = registry;
    this.catalogue = catalogue;
    this.modelLength = modelLength;
    this.strategy = strategy;
    this.evaluations = evaluations;
    this.privacy = privacy;
  }

  JsonObject status(RoundView state, List<JsonObject> history) {
    long now = System.currentTimeMillis();
    JsonArray clients = new JsonArray();
    for (ClientRegistry.Client client : registry.all()) {
      clients.add(new JsonObject()
          .put("id", client.id())
          .put("region", client.region())
          .put("examples", client.numExamples())
          .put("active", registry.isActive(client, now))
          .put("withdrawn", client.withdrawnBecause())
          .put("lastSeenMillisAgo", now - client.lastSeenMillis()));
    }
    Round round = state.round();
    JsonObject status = new JsonObject()
        .put("federation", config.federationId)
        .put("state", state.phase().name())
        .put("round", round != null ? round.id : state.lastRoundId())
        .put("modelVersion", state.modelVersion())
        .put("rounds", config.rounds)
        .put("modelLength", modelLength)
        .put("strategy", strategy)
        .put("catalogue", new JsonObject().put("size", catalogue.size()).put("sha256", catalogue.sha256()))
        .put("clients", clients)
        .put("history", new JsonArray(new ArrayList<>(history)))
        .put("evaluations", evaluations.json())
        .put("jvm", jvm());
    if (round != null) {
      status.put("openRound", new JsonObject()
          .put("id", round.id)
          .put("cohort", new JsonArray(new ArrayList<>(round.cohort)))
          .put("submitted", new JsonArray(new ArrayList<>(round.submitted)))
          .put("deadlineInMillis", Math.max(0, round.deadlineMillis - now)));
      if (round.secure != null) {
        status.getJsonObject("openRound").put("secureAggregation", round.secure.progress());
      }
    }
    if (state.failure() != null) {
      status.put(state.phase() == RoundController.Phase.FAILED ? "failure" : "stopReason", state.failure());
    }
    JsonObject privacyStatus = privacy.status();
    if (privacyStatus != null) {
      status.put("privacy", privacyStatus);
    }
    return status;
  }

  /**
   * The coordinator JVM's heap: in use now (garbage included), live after the last collection of each pool (what
   * the federation's state holds), and the maximum.
   */
  static JsonObject jvm() {
    long afterGc = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
        afterGc += pool.getCollectionUsage().getUsed();
      }
    }
    java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new JsonObject().put("heapUsedBytes", heap.getUsed()).put("heapAfterLastGcBytes", afterGc)
        .put("heapMaxBytes", heap.getMax());
  }
}
