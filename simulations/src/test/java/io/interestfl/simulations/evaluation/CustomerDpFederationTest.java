package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.simulations.demo.DataLocation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The federation-wide mode in one process: the noise it releases, and a private model that starts at popularity. */
class CustomerDpFederationTest {

  @Test
  void theReleasedRoundCarriesNoiseOfStddevZcForTheWholeFederation() {
    // customers with one basket have no training example: every round's released sum is the noise alone
    List<ClientData> clients = new ArrayList<>();
    for (int m = 0; m < 4; m++) {
      List<CustomerHistory> customers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        customers.add(new CustomerHistory(m * 100 + i, List.of(new Basket(1, new int[] {2 + i % 20}))));
      }
      clients.add(new ClientData("m" + m, customers.size(), new TrainTestSplit(customers, List.of())));
    }
    ModelConfig cfg = new ModelConfig("attention", 200, 5, 16, 16, 0.01, 16, 1);
    CustomerDpFederation.Settings s = new CustomerDpFederation.Settings(1, 40, 0.5, 32, 0, 1, 0, 40, 2, "fedavg", 1.0, 1e-3);
    CustomerDpPlan plan = CustomerDpFederation.plan(s, clients, 4, 1e-5);
    CustomerDpRound round = plan.round();
    assertEquals(200, round.population());
    assertEquals(4, round.minContributors());
    try (InterestModel model = InterestModel.create(cfg)) {
      float[] before = model.parameters();
      float[] after = CustomerDpFederation.train(model, clients, s, plan, new SecureRandom(), null).global();
      // FedAvg with rate 1 adds the released mean: (sum of four shares) / qN
      double sq = 0;
      for (int i = 0; i < before.length; i++) {
        double noise = (after[i] - before[i]) * round.expectedCustomers();
        sq += noise * noise;
      }
      double std = Math.sqrt(sq / before.length);
      // n = parameter count (> 20k): the sample std is within 3% of zC with overwhelming probability
      assertEquals(round.noiseStddev(), std, 0.03 * round.noiseStddev(),
          "released noise std " + std + " vs z C = " + round.noiseStddev() + " over " + before.length + " values");
    }
  }

  @Test
  void thePrivateModelStartsAtPopularityAndSpendsWhatItPlans() {
    EvaluationData all = EvaluationData.onlineRetail(DataLocation.onlineRetail(), OnlineRetailLoader.Format.AUTO,
        false, "country", 10);
    EvaluationData d = PrivacySweepCommand.select(all, List.of("Germany", "France", "Spain", "Belgium"));
    ModelConfig cfg = ModelConfig.defaults("attention", d.catalogue().size()).withSeed(42);
    // a small federation (233 customers): a light histogram (k 5, z 0.5) keeps its counts readable
    CustomerDpFederation.Settings s = new CustomerDpFederation.Settings(2, 100, 0.1, 32, 5, 0.5, 50, 20, 1.0, "fedadam", 0.001, 1e-4);
    PrivacySweep.Result r = new PrivacySweep(new PrivacySweep.Settings(cfg, 0.02, 2, 1, 0.1, 60, 1e-5,
        List.of(30.0), 1), s, null).run(d);
    PrivacySweep.Run run = r.runs().get(0);
    assertTrue(run.spentEpsilon() <= 30 * (1 + 1e-4) && run.spentEpsilon() > 29.9, "spent " + run.spentEpsilon());
    assertTrue(run.metrics().ndcg() > 0.5 * r.popularity().ndcg() && run.metrics().ndcg() > 8 * r.untrained().ndcg(),
        "private model " + run.metrics().ndcg() + ", popularity " + r.popularity().ndcg() + ", untrained "
            + r.untrained().ndcg());
    assertTrue(run.transitions() != null && run.transitions().users() == run.metrics().users(),
        "the private transitions are scored on the same baskets");
    assertTrue(run.withHistory().ndcg() > run.metrics().ndcg(),
        "own history helps on Online Retail: " + run.withHistory().ndcg() + " vs " + run.metrics().ndcg());
  }
}
