package io.interestfl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.privacy.budget.LedgerEntry;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.simulations.evaluation.ServerStep;
import io.interestfl.simulations.federation.CohortExecutor;
import io.interestfl.simulations.federation.FederatedSimulation;
import io.interestfl.simulations.federation.InProcessCohort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark run (local[2], tasks retried up to 3 times) and an in-process run of the same federation commit the same
 * model, round by round the same clients, and charge the same privacy ledger.
 */
class SparkCohortTest {
  private static final int CATALOGUE = 40;
  private static final ModelConfig MODEL = new ModelConfig("gru", CATALOGUE, 6, 8, 12, 0.01, 16, 7, false);
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    InterestModel.configureThreads(1);
    sc = SparkRunner.context("local[2,3]", "interestfl-test");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** 24 clients of 5 customers whose baskets walk a ring of items (a Markov chain), client-specific offsets. */
  static List<List<CustomerHistory>> clients() {
    SplittableRandom rng = new SplittableRandom(3);
    List<List<CustomerHistory>> out = new ArrayList<>();
    long id = 1;
    for (int c = 0; c < 24; c++) {
      List<CustomerHistory> customers = new ArrayList<>();
      for (int u = 0; u < 5; u++) {
        List<Basket> baskets = new ArrayList<>();
        int item = 2 + rng.nextInt(CATALOGUE - 2);
        for (int b = 0; b < 4; b++) {
          baskets.add(new Basket(1000L * b, new int[] {item}));
          item = 2 + (item - 2 + 1 + rng.nextInt(2) + c % 3) % (CATALOGUE - 2);
        }
        customers.add(new CustomerHistory(id++, baskets));
      }
      out.add(customers);
    }
    return out;
  }

  private static FederatedSimulation.Settings settings(double noise) {
    return new FederatedSimulation.Settings(MODEL, 3, 1, 10, Weighting.EXAMPLES,
        new ServerStep("fedavg", 1.0, 0.0, false), 1.0, noise);
  }

  private static FederatedSimulation.Result run(CohortExecutor executor, double noise, PrivacyLedger ledger) {
    try (executor) {
      return new FederatedSimulation(settings(noise)).run(executor, ledger, null);
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  @Test
  void sparkAndInProcessCommitTheSameModel() {
    List<List<CustomerHistory>> data = clients();
    FederatedSimulation.Result local = run(new InProcessCohort(MODEL, data, 1), 0, null);
    FederatedSimulation.Result spark = run(new SparkCohort(sc, MODEL, data, 1, 4, 1, null), 0, null);
    assertNull(spark.stopped());
    double diff = maxDifference(local.global(), spark.global());
    System.out.printf("spark vs in-process after 3 rounds: max |difference| %.3g%n", diff);
    // the same clients train the same way; only the order of the double additions of the sum differs
    assertTrue(diff <= 1e-6, "max |difference| " + diff);
    for (int r = 0; r < 3; r++) {
      assertEquals(local.rounds().get(r).clients(), spark.rounds().get(r).clients());
      assertEquals(local.rounds().get(r).examples(), spark.rounds().get(r).examples());
      assertEquals(local.rounds().get(r).meanLoss(), spark.rounds().get(r).meanLoss(), 1e-9);
    }
    // the model moved: a federation that trained nothing would pass the comparison too
    try (InterestModel initial = InterestModel.create(MODEL)) {
      assertTrue(maxDifference(initial.parameters(), spark.global()) > 1e-3);
    }
  }

  @Test
  void aRetriedTaskCountsItsClientsOnce() {
    List<List<CustomerHistory>> data = clients();
    FederatedSimulation.Result local = run(new InProcessCohort(MODEL, data, 1), 0, null);
    FederatedSimulation.Result retried = run(new SparkCohort(sc, MODEL, data, 1, 4, 1, new TaskFault(1, 0)), 0, null);
    for (int r = 0; r < 3; r++) {
      assertEquals(local.rounds().get(r).clients(), retried.rounds().get(r).clients(), "round " + r);
      assertEquals(local.rounds().get(r).examples(), retried.rounds().get(r).examples(), "round " + r);
    }
    assertTrue(maxDifference(local.global(), retried.global()) <= 1e-6);
  }

  @Test
  void centralDpChargesTheSameLedger(@TempDir Path dir) throws Exception {
    List<List<CustomerHistory>> data = clients();
    PrivacyBudget budget = new PrivacyBudget(50, 1e-5);
    List<LedgerEntry> local;
    List<LedgerEntry> spark;
    FederatedSimulation.Result sparkRun;
    try (PrivacyLedger l = PrivacyLedger.open(dir.resolve("local.txt"), budget)) {
      run(new InProcessCohort(MODEL, data, 1), 1.1, l);
      local = l.entries();
    }
    try (PrivacyLedger l = PrivacyLedger.open(dir.resolve("spark.txt"), budget)) {
      sparkRun = run(new SparkCohort(sc, MODEL, data, 1, 4, 1, null), 1.1, l);
      spark = l.entries();
    }
    assertEquals(3, local.size());
    assertEquals(local.size(), spark.size());
    for (int i = 0; i < local.size(); i++) {
      assertEquals(local.get(i).roundId(), spark.get(i).roundId());
      assertEquals(local.get(i).mechanism(), spark.get(i).mechanism());
      assertEquals(local.get(i).epsilonAfter(), spark.get(i).epsilonAfter(), 0);
    }
    assertTrue(sparkRun.rounds().get(2).epsilon() > 0 && sparkRun.rounds().get(2).epsilon() < 50);
  }
}
