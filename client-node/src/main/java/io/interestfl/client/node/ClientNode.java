package io.interestfl.client.node;

import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.Task;
import io.interestfl.secagg.crypto.Ed25519Identity;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A merchant's node: loads its data, registers with the coordinator, takes part in every round
 * ({@link RoundTrainer}: download the global model, evaluate it on the held-out baskets, train locally,
 * send the weight delta, masked by {@link SecAggParticipant} under secure aggregation), and when the
 * federation finishes evaluates and serves the final model ({@link FinalRound}). The node runs on the
 * calling thread (training is blocking work); gRPC ({@link CoordinatorLink}) runs on its own Vert.x.
 */
public final class ClientNode implements AutoCloseable {
  /** Costs of one round's secure aggregation at this node. */
  public record SecureAggregationCost(long roundId, double maskingMillis, long bytesUp, long plainBytes) {}

  /** What this node last sent, for tests and diagnostics. */
  public record SentUpdate(long roundId, long modelVersion, float[] delta, long examples) {}

  private final ClientConfig config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CoordinatorLink coordinator;
  private final MerchantData data;
  private final LocalModel model;
  private final CustomerPrivacy privacy;
  private final FederationCustomerDp federationDp;
  private final SecAggParticipant secureAggregation;
  private final RoundTrainer rounds;
  private final FinalRound finalRound;

  public ClientNode(ClientConfig config) {
    this(config, Vertx.vertx(), true);
  }

  public ClientNode(ClientConfig config, Vertx vertx, boolean ownsVertx) {
    this.config = config;
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    // One source of randomness for the node: signing key, DP-SGD, quantization, noise, SecAgg+.
    SecureRandom secureRandom = new SecureRandom();
    Ed25519Identity identity = IdentityKeyFile.loadOrCreate(config.identityKeyPath(), secureRandom);
    this.coordinator = new CoordinatorLink(config, vertx, identity.publicKey(), stopped);
    this.data = new MerchantData(config);
    this.model = new LocalModel(data);
    this.privacy = new CustomerPrivacy(config, secureRandom);
    this.federationDp = new FederationCustomerDp(config, secureRandom);
    this.secureAggregation = new SecAggParticipant(config, coordinator, identity, secureRandom, stopped);
    this.rounds = new RoundTrainer(config, coordinator, data, model, privacy, federationDp, secureAggregation,
        stopped);
    this.finalRound = new FinalRound(config, coordinator, data, model, privacy, federationDp,
        new RecommendationServing(config, data, stopped, rounds::history));
  }

  /** Runs until the federation finishes (or {@link #stop()}); returns the final model's metrics. */
  public RankingMetrics run() throws Exception {
    try {
      return participate();
    } finally {
      privacy.close();
      federationDp.close();
    }
  }

  private RankingMetrics participate() throws Exception {
    InterestModel.configureThreads(config.threads);
    privacy.open();
    data.load();
    CatalogueInfo expected = coordinator.register(data.basketCount(), data.customerCount());
    data.useCatalogue(coordinator.downloadCatalogue(), expected);
    while (!stopped.get()) {
      Task task = coordinator.nextTask();
      switch (task.getKind()) {
        case TRAIN -> {
          if (rounds.sent(task.getRoundId())) {
            Thread.sleep(Math.max(100, task.getPollAfterMillis())); // done with this round, waiting for it to close
          } else {
            rounds.train(task);
          }
        }
        case FINISHED -> {
          return finalRound.finish(task);
        }
        default -> Thread.sleep(Math.max(100, task.getPollAfterMillis()));
      }
    }
    return null;
  }

  /** Makes the node leave at its next step, as if the merchant shut it down. */
  public void stop() {
    stopped.set(true);
  }

  /** Fault injection for tests: the node leaves right after answering {@code phase}. */
  public void dieAfter(SecAggPhase phase) {
    secureAggregation.dieAfter(phase);
  }

  public SecureAggregationCost secureAggregationCost(long roundId) {
    return secureAggregation.cost(roundId);
  }

  /** The customers' epsilon in this node's federation-wide customer ledger (0 when it has none). */
  public double federationCustomerEpsilon() {
    return federationDp.epsilon();
  }

  /** True once this node has told the coordinator it will not train again. */
  public boolean withdrawn() {
    return rounds.withdrawn();
  }

  /** The update this node sent in {@code roundId}, or null. */
  public SentUpdate sentUpdate(long roundId) {
    return rounds.sentUpdate(roundId);
  }

  public int roundsTrained() {
    return rounds.roundsTrained();
  }

  public TrainTestSplit split() {
    return data.split();
  }

  @Override
  public void close() {
    stopped.set(true);
    privacy.close();
    federationDp.close();
    coordinator.close();
    model.close();
    if (ownsVertx) {
      vertx.close();
    }
  }
}
