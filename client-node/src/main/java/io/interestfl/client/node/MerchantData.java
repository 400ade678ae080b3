package io.interestfl.client.node;

import io.interestfl.interest.data.BasketSequences;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.CustomerPartition;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.LoadResult;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.PopularityBaseline;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The merchant's purchases, loaded from its own file and mapped onto the federation's catalogue: the
 * customers' training histories, their held-out last baskets, and the evaluation on those baskets.
 */
final class MerchantData {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());
  private static final int EVALUATION_K = 10;

  private final ClientConfig config;
  private LoadResult data;
  private ItemCatalogue catalogue;
  private TrainTestSplit split;

  MerchantData(ClientConfig config) {
    this.config = config;
  }

  /** Reads the purchases the configuration selects (countries, customer partition). */
  void load() {
    OnlineRetailLoader.Builder loader = OnlineRetailLoader.builder().skipMalformed(config.skipMalformed);
    if (!config.countries.isEmpty()) {
      loader.countries(Set.copyOf(config.countries));
    }
    if (config.partition != null && config.partition.buckets > 1) {
      loader.customerFilter(CustomerPartition.bucketFilter(config.partition.bucket, config.partition.buckets));
    }
    data = loader.build().load(config.dataPath());
    LOG.info(config.name + ": " + data.report().summary());
  }

  /** How many baskets (customer and invoice) the purchases hold: what the node registers with. */
  int basketCount() {
    Set<String> baskets = new HashSet<>();
    data.purchases().forEach(p -> baskets.add(p.customerId() + "/" + p.invoice()));
    return baskets.size();
  }

  /** Distinct customers in the purchases: what the node declares as its share of customer-level DP's N. */
  long customerCount() {
    return data.purchases().stream().map(p -> p.customerId()).distinct().count();
  }

  /** The federation's catalogue (after it was downloaded and checked), or null before. */
  ItemCatalogue catalogue() {
    return catalogue;
  }

  /** Checks the downloaded catalogue against the published hash, and maps the purchases onto it. */
  void useCatalogue(List<String> codes, CatalogueInfo expected) {
    catalogue = ItemCatalogue.of(codes);
    if (!catalogue.sha256().equals(expected.getSha256()) || catalogue.size() != expected.getSize()) {
      throw new IllegalStateException("catalogue from the coordinator does not match its published hash "
          + expected.getSha256() + " / size " + expected.getSize() + " (got " + catalogue.sha256() + " / "
          + catalogue.size() + ")");
    }
    List<CustomerHistory> histories = histories();
    split = TrainTestSplit.lastBasket(histories);
    long unknown = data.purchases().stream().filter(p -> catalogue.idOf(p.stockCode()) == 1).count();
    LOG.info(String.format("%s: catalogue of %d items (sha256 %s...), %d customers, %d held-out baskets, "
            + "%d purchases of products outside the catalogue mapped to OOV", config.name, catalogue.size(),
        catalogue.sha256().substring(0, 12), histories.size(), split.test().size(), unknown));
  }

  /** Every customer's basket sequence over the catalogue (built afresh on each call). */
  List<CustomerHistory> histories() {
    return BasketSequences.build(data.purchases(), catalogue);
  }

  /** The customers' training histories and held-out last baskets (null before the catalogue arrives). */
  TrainTestSplit split() {
    return split;
  }

  /** Ranking metrics at 10 of any case scorer on the held-out baskets. */
  RankingMetrics evaluate(CaseScorer scorer) {
    return RankingEvaluator.evaluateCases(scorer, split.test(), EVALUATION_K, catalogue.size());
  }

  /** Ranking metrics at 10 of {@code scorer} on the held-out baskets. */
  RankingMetrics evaluate(InterestModel scorer) {
    return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(scorer::score), split.test(),
        EVALUATION_K, catalogue.size());
  }

  /** Ranking metrics at 10 of the most-popular-items baseline on the held-out baskets. */
  RankingMetrics evaluatePopularity() {
    return RankingEvaluator.evaluate(
        PopularityBaseline.fromHistories(split.train(), catalogue.size()), split.test(), EVALUATION_K,
        catalogue.size());
  }

  /** The federation's model spec over this catalogue. */
  ModelConfig modelConfig(TrainingConfig training) {
    return new ModelConfig(training.getModel().getArchitecture(), catalogue.size(),
        training.getModel().getHistoryLength(), training.getModel().getEmbeddingSize(),
        training.getModel().getHiddenSize(), training.getLearningRate(), training.getBatchSize(),
        training.getSeed(), training.getModel().getContextInputs());
  }
}
