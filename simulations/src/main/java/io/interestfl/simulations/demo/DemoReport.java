package io.interestfl.simulations.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The demo's final tables, built from the coordinator's {@code GET /status}. */
final class DemoReport {
  private final JsonObject status;
  private final List<DemoRegion> regions;
  private final double minutes;

  DemoReport(JsonObject status, List<DemoRegion> regions, double minutes) {
    this.status = status;
    this.regions = regions;
    this.minutes = minutes;
  }

  private JsonObject evaluations() {
    return status.getJsonObject("evaluations", new JsonObject());
  }

  private JsonObject federated(long version) {
    return evaluations().getJsonObject("federated", new JsonObject()).getJsonObject("v" + version, new JsonObject());
  }

  private static JsonObject of(JsonObject summary, String client) {
    return client == null ? summary.getJsonObject("overall", new JsonObject())
        : summary.getJsonObject("clients", new JsonObject()).getJsonObject(client, new JsonObject());
  }

  private static String pair(JsonObject metrics) {
    Double hr = metrics.getDouble("hitRate@10");
    Double ndcg = metrics.getDouble("ndcg@10");
    return hr == null ? "-" : String.format(Locale.ROOT, "%.3f/%.3f", hr, ndcg);
  }

  void print(PrintStream out) {
    out.println();
    out.println("Federated model after each round: HR@10/NDCG@10 on each client's held-out last baskets");
    StringBuilder header = new StringBuilder(String.format("%-5s | %-7s | %-9s | %-11s", "round", "updates", "mean loss", "overall"));
    regions.forEach(region -> header.append(String.format(" | %-14s", region.name())));
    out.println(header);
    JsonObject initial = federated(0);
    StringBuilder zero = new StringBuilder(String.format("%-5s | %-7s | %-9s | %-11s", "init", "-", "-", pair(of(initial, null))));
    regions.forEach(region -> zero.append(String.format(" | %-14s", pair(of(initial, region.name())))));
    out.println(zero);
    for (Object item : status.getJsonArray("history", new JsonArray())) {
      JsonObject round = (JsonObject) item;
      if (!"committed".equals(round.getString("outcome"))) {
        out.printf("%-5d | %-7s | retried: only %d updates%n", round.getLong("round"), "-",
            round.getJsonArray("participants").size());
        continue;
      }
      JsonObject after = federated(round.getLong("modelVersionAfter"));
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-5d | %3d/%-3d | %-9s | %-11s",
          round.getLong("round"), round.getJsonArray("participants").size(), round.getJsonArray("cohort").size(),
          LocalFederationDemo.loss(round), pair(of(after, null))));
      regions.forEach(region -> line.append(String.format(" | %-14s", pair(of(after, region.name())))));
      out.println(line);
    }
    out.println();
    out.println("Final comparison (HR@10/NDCG@10, full ranking over the catalogue)");
    JsonObject popularity = evaluations().getJsonObject("popularity", new JsonObject());
    JsonObject alone = evaluations().getJsonObject("local-only", new JsonObject());
    JsonObject fed = federated(status.getLong("modelVersion", 0L));
    JsonObject adapted = evaluations().getJsonObject("adapted");
    out.printf("%-15s | %5s | %-14s | %-14s | %-14s | %-25s%s%n", "client", "users", "popularity", "trained alone",
        "federated", "federated vs alone (NDCG)",
        adapted == null ? "" : " | adapted locally (epochs) | adapted vs alone (NDCG)");
    for (DemoRegion region : regions) {
      row(out, region.name(), of(popularity, region.name()), of(alone, region.name()), of(fed, region.name()),
          adapted == null ? null : of(adapted, region.name()));
    }
    row(out, "overall", of(popularity, null), of(alone, null), of(fed, null), adapted == null ? null : of(adapted, null));
    out.printf(Locale.ROOT, "%nfederation %s: state %s, model v%d after %d rounds, %.1f minutes%n",
        status.getString("federation"), status.getString("state"), status.getLong("modelVersion", 0L),
        status.getJsonArray("history", new JsonArray()).size(), minutes);
    if (status.getString("stopReason") != null) {
      out.println("stopped early: " + status.getString("stopReason"));
    }
    JsonObject privacy = status.getJsonObject("privacy");
    Double customerEpsilon = customerEpsilon();
    if (privacy != null && "customer".equals(privacy.getString("mode"))) {
      out.printf(Locale.ROOT, "customer-level DP (federation-wide): epsilon %s at delta %s over %d customers "
              + "(1/N = %.1e), planned %s; per round q %.4f, noise multiplier %.3f, clip norm %s, noise split over "
              + ">= %d merchants; the coordinator's ledger %s, and each node's own%n",
          LocalFederationDemo.epsilon(privacy.getDouble("epsilon")), privacy.getValue("delta"),
          privacy.getLong("population", 0L), 1.0 / Math.max(1, privacy.getLong("population", 1L)),
          LocalFederationDemo.epsilon(privacy.getDouble("plannedEpsilon")), privacy.getDouble("samplingRate", 0.0),
          privacy.getDouble("noiseMultiplier", 0.0), privacy.getValue("clipNorm"), privacy.getInteger("minContributors", 0),
          privacy.getString("ledger"));
      out.println("  nodes keep per-round metrics local; the final table's figures are the nodes' own reports, "
          + "outside the ledger; 'trained alone' is not private");
      out.println("merchant-level differential privacy: off");
      return;
    }
    if (customerEpsilon != null) {
      out.printf(Locale.ROOT, "customer-level DP (in every node): largest epsilon spent %s at delta 1e-5 "
          + "(each node keeps its own ledger; 'trained alone' used the same DP-SGD)%n",
          LocalFederationDemo.epsilon(customerEpsilon));
    } else {
      out.println("customer-level differential privacy: off");
    }
    if (privacy != null) {
      out.printf(Locale.ROOT, "merchant-level DP (%s): epsilon %s at delta %s (budget %s), clip norm %s, noise multiplier %s%n",
          privacy.getString("mode"), LocalFederationDemo.epsilon(privacy.getDouble("epsilon")), privacy.getValue("delta"),
          LocalFederationDemo.epsilon(privacy.getDouble("budgetEpsilon")), privacy.getValue("clipNorm"),
          privacy.getValue("noiseMultiplier"));
      if (privacy.getDouble("epsilon", 0.0) > 100) {
        out.println("  (no meaningful merchant-level guarantee: with six merchants, noise that would give one "
            + "destroys the model; see docs/privacy.md)");
      }
    } else {
      out.println("merchant-level differential privacy: off");
    }
  }

  /** The largest customer-level epsilon any node reported over the rounds, or null without it. */
  private Double customerEpsilon() {
    Double largest = null;
    for (Object item : status.getJsonArray("history", new JsonArray())) {
      Double epsilon = LocalFederationDemo.customerEpsilon((JsonObject) item);
      if (epsilon != null && (largest == null || epsilon > largest)) {
        largest = epsilon;
      }
    }
    return largest;
  }

  private static void row(PrintStream out, String name, JsonObject popularity, JsonObject alone, JsonObject fed,
      JsonObject adapted) {
    Integer users = fed.getInteger("users", alone.getInteger("users", 0));
    String extra = "";
    if (adapted != null) {
      Integer epochs = adapted.getInteger("epochs");
      extra = String.format(" | %-24s | %s", pair(adapted) + (epochs == null ? "" : " (" + epochs + ")"),
          gain(adapted, alone));
    }
    out.printf("%-15s | %5d | %-14s | %-14s | %-14s | %-25s%s%n", name, users, pair(popularity), pair(alone), pair(fed),
        gain(fed, alone), extra);
  }

  private static String gain(JsonObject model, JsonObject alone) {
    if (model.getDouble("ndcg@10") != null && alone.getDouble("ndcg@10") != null && alone.getDouble("ndcg@10") > 0) {
      return String.format(Locale.ROOT, "%+.0f%%", 100 * (model.getDouble("ndcg@10") / alone.getDouble("ndcg@10") - 1));
    }
    return "-";
  }

  JsonObject json() {
    return new JsonObject()
        .put("minutes", minutes)
        .put("federation", status.getString("federation"))
        .put("state", status.getString("state"))
        .put("modelVersion", status.getLong("modelVersion"))
        .put("history", status.getJsonArray("history"))
        .put("customerEpsilonMax", customerEpsilon())
        .put("privacy", status.getJsonObject("privacy"))
        .put("evaluations", evaluations());
  }
}
