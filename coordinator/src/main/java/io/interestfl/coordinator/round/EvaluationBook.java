package io.interestfl.coordinator.round;

import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients' evaluation reports: FEDERATED ones per model version, baselines (LOCAL_ONLY,
 * POPULARITY, ADAPTED) per subject, each per client, with their user-weighted mean ("overall").
 * Checkpointed with the model and restored on resume.
 */
final class EvaluationBook {
  /** FEDERATED evaluations: model version -> client -> metrics. */
  private final Map<Long, Map<String, JsonObject>> evaluations = new TreeMap<>();
  /** Baselines: subject -> client -> metrics. */
  private final Map<String, Map<String, JsonObject>> baselines = new TreeMap<>();

  /** Refuses metrics outside [0, 1] or a negative user count. */
  private static void check(Metrics metrics) {
    if (metrics.getNumUsers() < 0 || !inUnitInterval(metrics.getHitRateAt10())
        || !inUnitInterval(metrics.getNdcgAt10()) || !inUnitInterval(metrics.getMrr())) {
      throw Rejection.invalid("metrics must be in [0, 1] with num_users >= 0, got " + metrics);
    }
  }

  private static boolean inUnitInterval(double value) {
    return value >= 0 && value <= 1;
  }

  /**
   * A client's evaluation report. A FEDERATED one must name an existing model version; when it is
   * for the open round and from a cohort member it also carries the member's training loss, which
   * {@code round} counts once (under secure aggregation the update has no summary).
   */
  void report(String clientId, EvaluationReport report, long currentVersion, Round round) {
    Metrics metrics = report.getMetrics();
    check(metrics);
    switch (report.getSubject()) {
      case FEDERATED -> {
        if (report.getModelVersion() < 0 || report.getModelVersion() > currentVersion) {
          throw Rejection.invalid("model version " + report.getModelVersion() + " does not exist (current v"
              + currentVersion + ")");
        }
        federated(report.getModelVersion(), clientId, metrics);
        if (round != null && report.getRoundId() == round.id && report.getNumExamples() > 0
            && Double.isFinite(report.getMeanTrainLoss()) && round.cohort.contains(clientId)
            && round.lossReported.add(clientId)) {
          round.countLoss(report.getMeanTrainLoss(), report.getNumExamples(), report.getCustomerEpsilon());
        }
      }
      case LOCAL_ONLY, POPULARITY, ADAPTED -> baseline(report.getSubject().name(), clientId, metrics,
          report.getEpochs());
      default -> throw Rejection.invalid("evaluation subject is missing");
    }
  }

  void federated(long version, String clientId, Metrics metrics) {
    evaluations.computeIfAbsent(version, v -> new TreeMap<>()).put(clientId, metricsJson(metrics));
  }

  private void baseline(String subject, String clientId, Metrics metrics, int epochs) {
    baselines.computeIfAbsent(subject, s -> new TreeMap<>()).put(clientId, metricsJson(metrics).put("epochs", epochs));
  }

  private static JsonObject metricsJson(Metrics metrics) {
    return new JsonObject()
        .put("hitRate@10", metrics.getHitRateAt10())
        .put("ndcg@10", metrics.getNdcgAt10())
        .put("mrr", metrics.getMrr())
        .put("users", metrics.getNumUsers());
  }

  /** What the status says about every figure here: they are the nodes' word, not the coordinator's measurement. */
  static final String CLAIMED = "claimed by each node about its own held-out data; the coordinator cannot check "
      + "them and they never change the model. 'median' is over nodes, unweighted: one node cannot move it past the "
      + "others; 'overall' weighs each node by the users it claims";

  /** The {@code evaluations} object of the status and of a checkpoint. */
  JsonObject json() {
    JsonObject federated = new JsonObject();
    evaluations.forEach((version, perClient) -> federated.put("v" + version, summarise(perClient)));
    JsonObject json = new JsonObject().put("source", CLAIMED).put("federated", federated);
    baselines.forEach((subject, perClient) -> json.put(subject.toLowerCase().replace('_', '-'), summarise(perClient)));
    return json;
  }

  /** Per-client metrics plus their user-weighted mean ("overall"). */
  private static JsonObject summarise(Map<String, JsonObject> perClient) {
    double users = 0;
    double hr = 0;
    double ndcg = 0;
    double mrr = 0;
    JsonObject clients = new JsonObject();
    for (Map.Entry<String, JsonObject> entry : perClient.entrySet()) {
      JsonObject m = entry.getValue();
      int n = m.getInteger("users");
      users += n;
      hr += n * m.getDouble("hitRate@10");
      ndcg += n * m.getDouble("ndcg@10");
      mrr += n * m.getDouble("mrr");
      clients.put(entry.getKey(), m);
    }
    JsonObject overall = new JsonObject().put("users", (long) users);
    if (users > 0) {
      overall.put("hitRate@10", hr / users).put("ndcg@10", ndcg / users).put("mrr", mrr / users);
    }
    JsonObject median = new JsonObject().put("nodes", perClient.size());
    if (!perClient.isEmpty()) {
      for (String metric : new String[] {"hitRate@10", "ndcg@10", "mrr"}) {
        median.put(metric, median(perClient.values().stream().mapToDouble(m -> m.getDouble(metric)).toArray()));
      }
    }
    return new JsonObject().put("overall", overall).put("median", median).put("clients", clients);
  }

  private static double median(double[] values) {
    java.util.Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** Restores the FEDERATED evaluations of a checkpoint. */
  void restore(JsonObject json) {
    if (json == null) {
      return;
    }
    JsonObject federated = json.getJsonObject("federated", new JsonObject());
    for (String key : federated.fieldNames()) {
      JsonObject clients = federated.getJsonObject(key).getJsonObject("clients", new JsonObject());
      Map<String, JsonObject> perClient = evaluations.computeIfAbsent(Long.parseLong(key.substring(1)), v -> new TreeMap<>());
      clients.forEach(e -> perClient.put(e.getKey(), (JsonObject) e.getValue()));
    }
  }
}
