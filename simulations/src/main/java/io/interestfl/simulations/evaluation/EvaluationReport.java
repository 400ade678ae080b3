package io.interestfl.simulations.evaluation;

import io.interestfl.interest.evaluation.ListEvaluation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result of a {@link FederatedEvaluation}: per-method overall and per-client figures, the federated
 * round trace, and the three targets of issue 5 checked against the figures:
 * federated NDCG@10 >= 0.95 x centralized; federated > alone for every client with >= 10 customers;
 * federated NDCG@10 >= 1.2 x popularity (each client's own popularity list, overall).
 */
public record EvaluationReport(EvaluationData data, EvaluationSettings settings,
                               Map<String, FederatedEvaluation.MethodResult> results,
                               List<FederatedEvaluation.RoundTrace> trace) {
  /** Clients with at least this many customers must gain from the federation (target 2). */
  public static final int TARGET_MIN_CUSTOMERS = 10;

  public ListEvaluation overall(String method) {
    return results.get(method).overall();
  }

  public ListEvaluation client(String method, String client) {
    return results.get(method).clients().get(client);
  }

  /** Federated NDCG@10 / centralized NDCG@10. */
  public double federatedVsCentralized() {
    return overall("federated").ndcg() / overall("centralized").ndcg();
  }

  /** Federated NDCG@10 / popularity NDCG@10 - 1 (relative gain). */
  public double federatedGainOverPopularity() {
    return overall("federated").ndcg() / overall("popularity").ndcg() - 1;
  }

  /** Clients with >= 10 customers (and a test case) where federated NDCG@10 is not above alone. */
  public List<String> clientsWhereAloneIsAtLeastAsGood() {
    List<String> out = new ArrayList<>();
    for (ClientData cd : data.clients()) {
      if (cd.customers() >= TARGET_MIN_CUSTOMERS && !cd.split().test().isEmpty()
          && client("federated", cd.name()).ndcg() <= client("alone", cd.name()).ndcg()) {
        out.add(cd.name());
      }
    }
    return out;
  }

  /**
   * With local adaptation run: clients with >= 10 customers (and a test case) where federated+adapted is not
   * above the better of alone and alone-validated; null when adaptation was not run.
   */
  public List<String> clientsWhereAloneBeatsAdapted() {
    if (!results.containsKey("federated+adapted")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (ClientData cd : data.clients()) {
      double alone = Math.max(client("alone", cd.name()).ndcg(), client("alone-validated", cd.name()).ndcg());
      if (cd.customers() >= TARGET_MIN_CUSTOMERS && !cd.split().test().isEmpty()
          && client("federated+adapted", cd.name()).ndcg() <= alone) {
        out.add(cd.name());
      }
    }
    return out;
  }

  private static String serverText(ServerStep server) {
    return server.optimizer().equals("fedavg")
        ? String.format(Locale.ROOT, "fedavg (rate %s)", server.learningRate())
        : String.format(Locale.ROOT, "%s (rate %s, momentum %s)", server.optimizer(), server.learningRate(),
            server.momentum());
  }

  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "data: %s%n      %s%n", data.summary(), data.report()));
    sb.append(String.format(Locale.ROOT, "catalogue %,d ids; %d clients; %s; %d rounds x %d local epochs; FedAvg weights: %s; server %s%s%n%n",
        data.catalogue().size(), data.clients().size(), settings.model(), settings.rounds(), settings.localEpochs(),
        settings.weighting(), serverText(settings.server()), settings.cohort() > 0 && settings.cohort() < data.clients().size()
            ? String.format(Locale.ROOT, "; cohort of %d clients per round", settings.cohort()) : ""));
    sb.append("overall (full ranking over the catalogue, K=10)\n");
    sb.append(String.format(Locale.ROOT, "%-18s %7s %8s %7s %9s %8s %8s%n", "method", "HR@10", "NDCG@10", "MRR",
        "coverage", "novelty", "seconds"));
    for (FederatedEvaluation.MethodResult r : results.values()) {
      ListEvaluation o = r.overall();
      sb.append(String.format(Locale.ROOT, "%-18s %7.4f %8.4f %7.4f %9.3f %8.2f %8.1f%n", r.method(), o.hitRate(),
          o.ndcg(), o.mrr(), o.coverage(), o.novelty(), r.seconds()));
    }
    sb.append("\nNDCG@10 per client (customers / test cases)\n");
    sb.append(String.format(Locale.ROOT, "%-16s %11s", "client", "cust/test"));
    for (String m : results.keySet()) {
      sb.append(String.format(Locale.ROOT, " %9s", shortName(m)));
    }
    sb.append('\n');
    for (ClientData cd : data.clients()) {
      sb.append(String.format(Locale.ROOT, "%-16s %5d/%5d", cd.name(), cd.customers(), cd.split().test().size()));
      for (String m : results.keySet()) {
        sb.append(String.format(Locale.ROOT, " %9.4f", client(m, cd.name()).ndcg()));
      }
      sb.append('\n');
    }
    StringBuilder chosen = new StringBuilder();
    for (FederatedEvaluation.MethodResult r : results.values()) {
      if (r.chosen().isEmpty() || r.method().contains("+") || r.method().endsWith("-network")) {
        continue;
      }
      Integer gate = r.chosen().get("gatePercent");
      if (gate != null) {
        chosen.append(String.format(Locale.ROOT, "  %s: repeat/explore gate scale %.2f, explore %s%n", r.method(),
            gate / 100.0, Integer.valueOf(1).equals(r.chosen().get("gateMasked")) ? "masked" : "unmasked"));
      }
      Map<String, Integer> counts = new java.util.LinkedHashMap<>(r.chosen());
      counts.remove("gatePercent");
      counts.remove("gateMasked");
      if (counts.isEmpty()) {
        continue;
      }
      String unit = r.method().equals("federated") ? "rounds" : "epochs";
      if (counts.size() == 1 && counts.containsKey(FederatedEvaluation.ALL)) {
        chosen.append(String.format(Locale.ROOT, "  %s: %d %s%n", r.method(), counts.get(FederatedEvaluation.ALL),
            unit));
      } else {
        chosen.append(String.format(Locale.ROOT, "  %s: %s %s%n", r.method(), counts, unit));
      }
    }
    if (chosen.length() > 0) {
      sb.append("\nchosen on validation (every customer's last training basket)\n").append(chosen);
    }
    if (!trace.isEmpty()) {
      sb.append("\nfederated rounds: ");
      for (FederatedEvaluation.RoundTrace t : trace) {
        sb.append(String.format(Locale.ROOT, "%d:%.4f ", t.round(), t.ndcg()));
      }
      sb.append('\n');
    }
    sb.append("\ntargets\n");
    double ratio = federatedVsCentralized();
    sb.append(String.format(Locale.ROOT, "  federated / centralized NDCG@10 = %.3f (target >= 0.95): %s%n", ratio,
        ratio >= 0.95 ? "met" : "MISSED"));
    List<String> worse = clientsWhereAloneIsAtLeastAsGood();
    sb.append(String.format(Locale.ROOT, "  federated > alone for every client with >= %d customers: %s%n",
        TARGET_MIN_CUSTOMERS, worse.isEmpty() ? "met" : "MISSED for " + worse));
    List<String> adaptedWorse = clientsWhereAloneBeatsAdapted();
    if (adaptedWorse != null) {
      sb.append(String.format(Locale.ROOT,
          "  federated+adapted > best of alone, alone-validated for every client with >= %d customers: %s%n",
          TARGET_MIN_CUSTOMERS, adaptedWorse.isEmpty() ? "met" : "MISSED for " + adaptedWorse));
    }
    double gain = federatedGainOverPopularity();
    sb.append(String.format(Locale.ROOT, "  federated vs popularity NDCG@10 = %+.1f%% (target >= +50%%): %s%n",
        100 * gain, gain >= 0.5 ? "met" : "MISSED"));
    double cooc = overall("federated").ndcg() / overall("co-occurrence").ndcg();
    sb.append(String.format(Locale.ROOT, "  federated / co-occurrence NDCG@10 = %.3f (target > 1): %s%n", cooc,
        cooc > 1 ? "met" : "MISSED"));
    double central = overall("centralized").ndcg() / overall("co-occurrence").ndcg();
    sb.append(String.format(Locale.ROOT, "  centralized / co-occurrence NDCG@10 = %.3f (target >= 1.1): %s%n", central,
        central >= 1.1 ? "met" : "MISSED"));
    if (results.containsKey(TorchReference.METHOD)) {
      double torch = overall("centralized").ndcg() / overall(TorchReference.METHOD).ndcg();
      sb.append(String.format(Locale.ROOT, "  centralized / PyTorch SASRec NDCG@10 = %.3f (target >= 1.0): %s%n", torch,
          torch >= 1.0 ? "met" : "MISSED"));
      sb.append(String.format(Locale.ROOT, "  centralized-network / PyTorch SASRec NDCG@10 = %.3f (the network alone)%n",
          overall("centralized-network").ndcg() / overall(TorchReference.METHOD).ndcg()));
    }
    return sb.toString();
  }

  private static String shortName(String m) {
    return switch (m) {
      case "popularity" -> "pop";
      case "popularity-global" -> "pop-glob";
      case "co-occurrence" -> "cooc";
      case "own-history" -> "own-hist";
      case "centralized" -> "central";
      case "alone+history" -> "alone+h";
      case "federated" -> "fed";
      case "federated+history" -> "fed+hist";
      case "federated-network" -> "fed-net";
      case "centralized-network" -> "cent-net";
      case "alone-network" -> "alone-net";
      case "federated+finetune" -> "fed+tune";
      case "federated+adapted" -> "fed+adapt";
      case "alone-validated" -> "alone-val";
      case TorchReference.METHOD -> "sasrec-pt";
      default -> m;
    };
  }

  public JsonObject toJson() {
    JsonObject methods = new JsonObject();
    for (FederatedEvaluation.MethodResult r : results.values()) {
      JsonObject perClient = new JsonObject();
      r.clients().forEach((k, v) -> perClient.put(k, json(v)));
      JsonObject method = new JsonObject().put("overall", json(r.overall())).put("clients", perClient)
          .put("seconds", r.seconds());
      if (!r.chosen().isEmpty()) {
        JsonObject chosen = new JsonObject();
        r.chosen().forEach(chosen::put);
        method.put("chosen", chosen);
      }
      methods.put(r.method(), method);
    }
    JsonArray clients = new JsonArray();
    for (ClientData cd : data.clients()) {
      clients.add(new JsonObject().put("name", cd.name()).put("customers", cd.customers())
          .put("testCases", cd.split().test().size()));
    }
    JsonArray rounds = new JsonArray();
    for (FederatedEvaluation.RoundTrace t : trace) {
      rounds.add(new JsonObject().put("round", t.round()).put("meanLoss", t.meanLoss())
          .put("validationNdcg", Double.isNaN(t.validationNdcg()) ? null : t.validationNdcg()).put("ndcg", t.ndcg()));
    }
    return new JsonObject()
        .put("data", new JsonObject().put("users", data.summary().users()).put("items", data.summary().items())
            .put("events", data.summary().events()).put("firstEpochSeconds", data.summary().firstEpochSeconds())
            .put("lastEpochSeconds", data.summary().lastEpochSeconds()).put("catalogueSize", data.catalogue().size())
            .put("report", data.report()))
        .put("settings", new JsonObject().put("model", settings.model().toString()).put("rounds", settings.rounds())
            .put("localEpochs", settings.localEpochs()).put("historyWeight", settings.historyWeight())
            .put("finetuneEpochs", settings.finetuneEpochs())
            .put("adaptEpochs", settings.adaptEpochs())
            .put("weighting", settings.weighting()).put("cohort", settings.cohort()).put("k", FederatedEvaluation.K)
            .put("patience", settings.patience()).put("carryLocalState", settings.carryLocalState())
          .put("driftCorrection", settings.driftCorrection())
            .put("server", new JsonObject().put("optimizer", settings.server().optimizer())
                .put("learningRate", settings.server().learningRate()).put("momentum", settings.server().momentum())
                .put("sparseRows", settings.server().sparseRows())))
        .put("clients", clients)
        .put("methods", methods)
        .put("rounds", rounds)
        .put("targets", new JsonObject()
            .put("federatedOverCentralized", federatedVsCentralized())
            .put("clientsWhereAloneIsAtLeastAsGood", new JsonArray(clientsWhereAloneIsAtLeastAsGood()))
            .put("clientsWhereAloneBeatsAdapted", clientsWhereAloneBeatsAdapted() == null ? null
                : new JsonArray(clientsWhereAloneBeatsAdapted()))
            .put("federatedGainOverPopularity", federatedGainOverPopularity()));
  }

  private static JsonObject json(ListEvaluation e) {
    return new JsonObject().put("hr", e.hitRate()).put("ndcg", e.ndcg()).put("mrr", e.mrr())
        .put("coverage", e.coverage()).put("novelty", e.novelty()).put("users", e.users());
  }
}
