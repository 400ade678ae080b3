package io.interestfl.client.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.CustomerDpConfig;
import io.interestfl.protocol.v1.SecureAggregationConfig;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node checks every customer-level DP round before it contributes, and refuses what fails its limits. */
class FederationCustomerDpTest {
  private static final int CATALOGUE = 60;
  private static final int HEAD = 10;
  private static InterestModel model;

  @BeforeAll
  static void model() {
    model = InterestModel.create(new ModelConfig("lstm", CATALOGUE, 5, 4, 8, 1e-3, 16, 7));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static Task task(UnaryOperator<CustomerDpConfig.Builder> change, boolean secure) {
    long p = model.parameterCount();
    CustomerDpConfig.Builder dp = CustomerDpConfig.newBuilder().setSamplingRate(0.1).setClipNorm(0.1)
        .setNoiseMultiplier(1.0).setPopulation(5_000).setMinContributors(3).setExamplesPerCustomer(32)
        .setHistogramItems(20).setHistogramNoiseMultiplier(5).setTransitionHead(HEAD).setTransitionPairs(40)
        .setTransitionNoiseMultiplier(2).setModelLength(p).setEpsilonBudget(8).setDelta(1e-5).setModelSteps(10);
    return Task.newBuilder().setKind(Task.Kind.TRAIN).setRoundId(3).setModelVersion(2)
        .setModelLength(p + CATALOGUE + HEAD * HEAD).setCohortSize(4)
        .setCatalogue(CatalogueInfo.newBuilder().setSize(CATALOGUE))
        .setConfig(TrainingConfig.newBuilder().setCustomerDp(change.apply(dp))
            .setSecureAggregation(SecureAggregationConfig.newBuilder().setEnabled(secure)))
        .build();
  }

  private static FederationCustomerDp node(Path dir, double maxEpsilon) {
    ClientConfig config = new ClientConfig().baseDirectory(dir);
    config.name = "spain";
    config.federationPrivacy.maxEpsilon = maxEpsilon;
    config.federationPrivacy.minNoiseMultiplier = 0.5;
    return new FederationCustomerDp(config, new SecureRandom());
  }

  @Test
  void acceptsSoundParametersAndRefusesEachUnsoundOne(@TempDir Path dir) throws Exception {
    try (FederationCustomerDp node = node(dir, 8)) {
      assertNull(node.refusal(task(b -> b, true), 400, model));
      assertRefused(node.refusal(task(b -> b.setNoiseMultiplier(0.2), true), 400, model),
          "noise multiplier 0.2000 is below this node's minimum 0.5000");
      assertRefused(node.refusal(task(b -> b, true), 6_000, model), "population 5000 is smaller than this node's 6000");
      assertRefused(node.refusal(task(b -> b, false), 400, model), "no secure aggregation");
      assertRefused(node.refusal(task(b -> b.setMinContributors(1), true), 400, model),
          "fewer than this node's minimum 2");
      assertRefused(node.refusal(task(b -> b.setMinContributors(5), true), 400, model),
          "split over 5 merchants but the round has only 4");
      assertRefused(node.refusal(task(b -> b.setDelta(1e-3), true), 400, model), "above this node's maximum");
      assertRefused(node.refusal(task(b -> b.setModelLength(model.parameterCount() + 1), true), 400, model),
          "parameters");
      assertRefused(node.refusal(task(b -> b.setSamplingRate(1.5), true), 400, model), "invalid");
      assertEquals(0, node.epsilon(), "nothing refused was charged");
    }
  }

  @Test
  void refusesARoundThatWouldPassItsOwnBudgetWithoutChargingIt(@TempDir Path dir) throws Exception {
    try (FederationCustomerDp node = node(dir, 0.05)) {
      String refusal = node.refusal(task(b -> b, true), 400, model);
      assertRefused(refusal, "this node's maximum 0.0500");
      assertEquals(0, node.epsilon());
    }
    assertTrue(Files.exists(dir.resolve("customer-ledger-spain.txt")), "the node keeps its own ledger");
  }

  private static void assertRefused(String refusal, String expected) {
    assertNotNull(refusal, "expected a refusal mentioning: " + expected);
    assertTrue(refusal.contains(expected), refusal);
  }
}
