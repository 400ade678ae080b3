package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.DataSummary;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FederatedEvaluationTest {
  static ItemCatalogue catalogue;

  @BeforeAll
  static void setUp() {
    InterestModel.configureThreads(1);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      codes.add(String.format("%05d", 10000 + i));
    }
    catalogue = ItemCatalogue.of(codes);
  }

  /** Customers who buy from a client-specific favourite set and repeat themselves. */
  static List<CustomerHistory> customers(long firstId, int n, int favouriteBase, long seed) {
    Random r = new Random(seed);
    List<CustomerHistory> out = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      List<Basket> baskets = new ArrayList<>();
      int own = 2 + favouriteBase + r.nextInt(8);
      for (int b = 0; b < 4; b++) {
        baskets.add(new Basket(1000L * b, new int[]{own, 2 + favouriteBase + r.nextInt(8), 2 + r.nextInt(38)}));
      }
      out.add(new CustomerHistory(firstId + u, baskets));
    }
    return out;
  }

  static ModelConfig small() {
    return new ModelConfig("lstm", catalogue.size(), 6, 8, 8, 0.01, 16, 7);
  }

  /** One client is the whole federation: its gradient is the mean, the correction is zero, nothing changes. */
  @Test
  void driftCorrectionOfASingleClientIsZero() {
    EvaluationData data = new EvaluationData(catalogue, List.of(ClientData.of("solo", customers(1, 30, 0, 1))),
        new DataSummary(30, 40, 360, 0, 3), "synthetic");
    EvaluationSettings plain = new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 0,
        ServerStep.FEDAVG, 0, true, false);
    EvaluationSettings corrected = new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 0,
        ServerStep.FEDAVG, 0, true, true);
    EvaluationReport a = new FederatedEvaluation(plain, null).run(data);
    EvaluationReport b = new FederatedEvaluation(corrected, null).run(data);
    assertEquals(a.overall("federated").ndcg(), b.overall("federated").ndcg(), 1e-6);
    assertEquals(a.overall("centralized").ndcg(), b.overall("centralized").ndcg(), 1e-12);
  }

  @Test
  void oneClientOneRoundFederatedEqualsCentralized() {
    EvaluationData data = new EvaluationData(catalogue, List.of(ClientData.of("solo", customers(1, 30, 0, 1))),
        new DataSummary(30, 40, 360, 0, 3), "synthetic");
    EvaluationReport r = new FederatedEvaluation(new EvaluationSettings(small(), 1, 2, 0.5), null).run(data);
    assertEquals(r.overall("centralized").ndcg(), r.overall("federated").ndcg(), 1e-12,
        "FedAvg over a single client is centralized training from the same start");
    assertEquals(r.overall("centralized").ndcg(), r.overall("alone").ndcg(), 1e-12);
    assertEquals(1.0, r.federatedVsCentralized(), 1e-12);
    for (String w : new String[]{"sqrt", "uniform"}) {
      EvaluationReport other = new FederatedEvaluation(new EvaluationSettings(small(), 1, 2, 0.5, 0, w), null)
          .run(data);
      assertEquals(r.overall("federated").ndcg(), other.overall("federated").ndcg(), 1e-6,
          "with one client every weighting is the same average: " + w);
    }
    assertEquals(30, r.overall("federated").users());
  }

  @Test
  void withPatienceEveryModelChoosesItsCountOnValidationAndReportsIt() {
    EvaluationData data = new EvaluationData(catalogue,
        List.of(ClientData.of("a", customers(1, 25, 0, 2)), ClientData.of("b", customers(100, 12, 20, 3))),
        new DataSummary(37, 40, 444, 0, 3), "synthetic");
    EvaluationSettings settings = new EvaluationSettings(small(), 6, 1, 0.5, 0, "examples", 0, 0,
        new ServerStep("fedavgm", 1.0, 0.5), 2);
    EvaluationReport r = new FederatedEvaluation(settings, null).run(data);
    int rounds = r.results().get("federated").chosen().get(FederatedEvaluation.ALL);
    int epochs = r.results().get("centralized").chosen().get(FederatedEvaluation.ALL);
    assertTrue(rounds >= 1 && rounds <= 6, "rounds " + rounds);
    assertTrue(epochs >= 1 && epochs <= 6, "epochs " + epochs);
    assertEquals(java.util.Set.of("a", "b"), r.results().get("alone").chosen().keySet());
    assertTrue(r.trace().size() >= rounds && r.trace().size() <= Math.min(6, rounds + 2),
        "stops 2 rounds after the best: " + r.trace().size() + " run, best " + rounds);
    double best = r.trace().stream().mapToDouble(FederatedEvaluation.RoundTrace::validationNdcg).max().orElseThrow();
    assertEquals(best, r.trace().get(rounds - 1).validationNdcg(), 0.0, "the chosen round has the best validation");
    JsonObject json = r.toJson();
    assertEquals(rounds, json.getJsonObject("methods").getJsonObject("federated").getJsonObject("chosen")
        .getInteger("all"));
    assertEquals("fedavgm", json.getJsonObject("settings").getJsonObject("server").getString("optimizer"));
    assertEquals(2, json.getJsonObject("settings").getInteger("patience"));
    assertTrue(r.toText().contains("chosen on validation"), r.toText());
    assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(small(), 6, 1, 0.5, 0,
        "examples", 0, 0, new ServerStep("fedsgd", 1.0, 0.5), 2));
  }

  @Test
  void carriedLocalStateChangesTheSecondRoundOnly() {
    EvaluationData data = new EvaluationData(catalogue,
        List.of(ClientData.of("a", customers(1, 25, 0, 2)), ClientData.of("b", customers(100, 12, 20, 3))),
        new DataSummary(37, 40, 444, 0, 3), "synthetic");
    java.util.function.BiFunction<Integer, Boolean, EvaluationReport> run = (rounds, carry) ->
        new FederatedEvaluation(new EvaluationSettings(small(), rounds, 1, 0.5, 0, "examples", 0, 0,
            ServerStep.FEDAVG, 0, carry), null).run(data);
    assertEquals(run.apply(1, false).trace().get(0).ndcg(), run.apply(1, true).trace().get(0).ndcg(), 0.0,
        "round 1 starts every client from a fresh Adam either way");
    double reset = run.apply(2, false).trace().get(1).meanLoss();
    double carried = run.apply(2, true).trace().get(1).meanLoss();
    assertTrue(reset != carried, "round 2 trains from the carried moments: " + reset + " vs " + carried);
  }

  @Test
  void reportsEveryMethodPerClientAndOverall() {
    EvaluationData data = new EvaluationData(catalogue,
        List.of(ClientData.of("a", customers(1, 25, 0, 2)), ClientData.of("b", customers(100, 12, 20, 3))),
        new DataSummary(37, 40, 444, 0, 3), "synthetic");
    EvaluationReport r = new FederatedEvaluation(new EvaluationSettings(small(), 2, 1, 0.5, 1, "examples", 2),
        null).run(data);
    assertEquals(List.of("popularity", "popularity-global", "co-occurrence", "own-history", "alone", "alone-network",
        "alone+history", "alone-validated", "centralized", "centralized-network", "federated", "federated-network",
        "federated+history", "federated+finetune", "federated+adapted"),
        List.copyOf(r.results().keySet()));
    for (var m : r.results().values()) {
      assertEquals(37, m.overall().users(), m.method());
      assertEquals(25, m.clients().get("a").users());
      double weighted = (m.clients().get("a").ndcg() * 25 + m.clients().get("b").ndcg() * 12) / 37;
      assertEquals(weighted, m.overall().ndcg(), 1e-9, "overall is weighted by test cases: " + m.method());
    }
    assertEquals(2, r.trace().size());
    assertTrue(r.overall("own-history").hitRate() > r.overall("popularity-global").hitRate(),
        "these customers repeat their own favourite");
    String text = r.toText();
    assertTrue(text.contains("federated / centralized"), text);
    assertTrue(text.contains("federated+adapted > best of alone, alone-validated"), text);
    assertTrue(r.clientsWhereAloneBeatsAdapted() != null);
    JsonObject json = r.toJson();
    assertEquals(2, json.getJsonArray("clients").size());
    assertEquals(37, json.getJsonObject("methods").getJsonObject("federated").getJsonObject("overall").getInteger("users"));
  }

  @Test
  void partitionsByGroupPoolSmallGroupsAndByHash() {
    List<CustomerHistory> h = new ArrayList<>(customers(1, 12, 0, 4));
    h.addAll(customers(100, 3, 0, 5));
    h.addAll(customers(200, 2, 0, 6));
    List<ClientData> byCountry = EvaluationData.byGroup(h,
        c -> c.customerId() < 100 ? "Big" : c.customerId() < 200 ? "Small1" : "Small2", 10);
    assertEquals(List.of("Big", "other"), byCountry.stream().map(ClientData::name).toList());
    assertEquals(5, byCountry.get(1).customers());
    List<ClientData> hashed = EvaluationData.byHash(h, 3);
    assertEquals(17, hashed.stream().mapToInt(ClientData::customers).sum());
    assertEquals(3, EvaluationData.hashBuckets("hash:3"));
    assertThrows(IllegalArgumentException.class, () -> EvaluationData.hashBuckets("region"));
    assertThrows(IllegalArgumentException.class, () -> EvaluationData.hashBuckets("hash:x"));
    assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(small(), 0, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(small(), 1, 1, 0.5, 0, "median"));
  }

  /**
   * Twelve clients of five customers, a cohort of three per round: each round draws three distinct clients, the draw
   * is the same for the same seed, and a cohort as large as the federation is every client.
   */
  @Test
  void aCohortOfClientsIsSampledEachRound() {
    List<ClientData> clients = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      clients.add(ClientData.of("c" + i, customers(100L * i, 5, (i % 3) * 10, i)));
    }
    EvaluationData data = new EvaluationData(catalogue, clients, new DataSummary(60, 40, 720, 0, 3), "synthetic");
    FederatedEvaluation three = new FederatedEvaluation(
        new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 3), null);
    java.util.Set<List<String>> draws = new java.util.HashSet<>();
    for (int round = 1; round <= 3; round++) {
      List<ClientData> cohort = three.cohort(clients, round);
      assertEquals(3, cohort.size());
      assertEquals(3, cohort.stream().map(ClientData::name).distinct().count(), "without replacement");
      assertEquals(cohort, three.cohort(clients, round), "seeded");
      draws.add(cohort.stream().map(ClientData::name).sorted().toList());
    }
    assertTrue(draws.size() > 1, "rounds draw different cohorts: " + draws);
    FederatedEvaluation all = new FederatedEvaluation(
        new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 12), null);
    assertEquals(clients, all.cohort(clients, 1));

    EvaluationReport sampled = three.run(data);
    EvaluationReport again = new FederatedEvaluation(
        new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 3), null).run(data);
    EvaluationReport everyone = new FederatedEvaluation(
        new EvaluationSettings(small(), 3, 1, 0.5, 0, "examples", 0, 0), null).run(data);
    EvaluationReport whole = all.run(data);
    assertEquals(sampled.overall("federated").ndcg(), again.overall("federated").ndcg(), 0, "deterministic");
    assertEquals(everyone.overall("federated").ndcg(), whole.overall("federated").ndcg(), 0,
        "a cohort of the whole federation is FedAvg over every client");
    assertTrue(sampled.overall("federated").ndcg() != everyone.overall("federated").ndcg(),
        "three clients a round train a different model");
    assertEquals(3, sampled.toJson().getJsonObject("settings").getInteger("cohort"));
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationSettings(small(), 1, 1, 0.5, 0, "examples", 0, -1));
  }
}
