package io.interestfl.client.node;

import io.interestfl.aggregation.ControlVariates;
import io.interestfl.client.node.ClientNode.SentUpdate;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.TrainingStats;
import io.interestfl.privacy.clipping.L2Clipper;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.protocol.v1.WithdrawReceipt;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One training round at this node, read top to bottom in {@link #train}: download the global model,
 * evaluate it on the held-out baskets, train locally (with drift correction: through the node's
 * {@code DriftCorrection}, sending its mean gradient beside the delta), clip the weight delta, and send it (in the clear
 * with its evaluation, or masked through secure aggregation). A node whose customers' budget would not
 * cover the round withdraws instead. Remembers what it sent in each round.
 */
final class RoundTrainer {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  private final ClientConfig config;
  private final CoordinatorLink coordinator;
  private final MerchantData data;
  private final LocalModel model;
  private final CustomerPrivacy privacy;
  private final FederationCustomerDp federationDp;
  private final SecAggParticipant secureAggregation;
  private final AtomicBoolean stopped;
  private final Map<Long, SentUpdate> sentUpdates = new ConcurrentHashMap<>();
  private int roundsTrained;
  private volatile boolean withdrawn;

  RoundTrainer(ClientConfig config, CoordinatorLink coordinator, MerchantData data, LocalModel model,
      CustomerPrivacy privacy, FederationCustomerDp federationDp, SecAggParticipant secureAggregation,
      AtomicBoolean stopped) {
    this.federationDp = federationDp;
    this.config = config;
    this.coordinator = coordinator;
    this.data = data;
    this.model = model;
    this.privacy = privacy;
    this.secureAggregation = secureAggregation;
    this.stopped = stopped;
  }

  /** Trains and sends this node's update for {@code task}'s round (or withdraws, or skips it). */
  void train(Task task) throws Exception {
    if (task.getConfig().hasCustomerDp()) {
      contributeCustomerDp(task);
      return;
    }
    String outOfBudget = privacy.budgetRefusal(task, data.split().train());
    if (outOfBudget != null) {
      withdraw(outOfBudget);
      return;
    }
    boolean drift = task.getConfig().getDriftCorrection();
    if (drift && privacy.enabled()) {
      withdraw("the federation runs drift correction, which sends this node's mean gradient unprotected, and this "
          + "node trains under customer-level DP");
      return;
    }
    // with drift correction the federation's vector is [model | c] (ControlVariates)
    float[] state = coordinator.downloadModel(task.getRoundId(), task.getModelVersion(), task.getModelLength());
    float[] global = drift ? ControlVariates.model(state) : state;
    InterestModel local = model.modelFor(task);
    // Customer-level DP-SGD restarts its optimizer every round; plain and merchant-level rounds may carry it.
    boolean carry = task.getConfig().getCarryOptimizerState() && !privacy.enabled();
    model.receive(local, global, carry);
    RankingMetrics before = data.evaluate(local);
    TrainingStats stats = privacy.enabled() ? privacy.train(local, data.split().train(), task)
        : drift ? model.driftCorrection().train(local, data.split().train(), task.getConfig().getLocalEpochs(),
            ControlVariates.federationGradient(state), task.getConfig().getSparseRows())
        : local.train(data.split().train(), task.getConfig().getLocalEpochs());
    model.keepState(local, carry);
    if (stats.examples() == 0) {
      LOG.warning(config.name + ": no training examples (customers need 2+ baskets before the held-out one); "
          + "skipping round " + task.getRoundId());
      Thread.sleep(1000);
      return;
    }
    float[] clipped = clippedDelta(task, global, local.parameters());
    float[] delta = drift ? ControlVariates.upload(clipped, model.driftCorrection().ownGradient()) : clipped;
    // With customer-level DP the example count and the training loss are raw statistics of the
    // customers: the update goes out with weight 1 and no loss, so only the private update leaves.
    boolean customerPrivate = privacy.enabled();
    long weight = customerPrivate ? 1 : stats.examples();
    double reportedLoss = customerPrivate ? 0 : stats.meanLoss();
    UpdateSummary summary = UpdateSummary.newBuilder()
        .setCustomerEpsilon(privacy.epsilon())
        .setNumExamples(weight)
        .setMeanTrainLoss(reportedLoss)
        .setTrainSeconds(stats.seconds())
        .setGlobalModelMetrics(CoordinatorLink.toProto(before))
        .build();
    if (stopped.get()) {
      return;
    }
    if (task.getConfig().getSecureAggregation().getEnabled()) {
      // The update never leaves this node in the clear: report loss and metrics, then mask.
      coordinator.reportEvaluation(EvaluationReport.newBuilder()
          .setRoundId(task.getRoundId())
          .setModelVersion(task.getModelVersion()).setSubject(EvaluationReport.Subject.FEDERATED)
          .setMetrics(CoordinatorLink.toProto(before)).setMeanTrainLoss(reportedLoss).setNumExamples(weight)
          .setCustomerEpsilon(privacy.epsilon()));
      sentUpdates.put(task.getRoundId(), new SentUpdate(task.getRoundId(), task.getModelVersion(), delta, weight));
      secureAggregation.run(task, state, delta, weight, task.getConfig().getDistributedNoiseVariance());
      roundsTrained++;
      return;
    }
    try {
      coordinator.uploadUpdate(task.getRoundId(), task.getModelVersion(), delta, summary);
      sentUpdates.put(task.getRoundId(), new SentUpdate(task.getRoundId(), task.getModelVersion(), delta, weight));
      roundsTrained++;
      LOG.info(String.format("%s: round %d on v%d: HR@10 %.4f NDCG@10 %.4f before training; %d examples, "
              + "loss %.4f, %.1f s", config.name, task.getRoundId(), task.getModelVersion(), before.hitRate(),
          before.ndcg(), stats.examples(), stats.meanLoss(), stats.seconds()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException rpc && rpc.status() == GrpcStatus.FAILED_PRECONDITION) {
        // The round closed while we trained (a straggler): the next task says what to do.
        LOG.warning(config.name + ": update for round " + task.getRoundId() + " refused: " + rpc.getMessage());
        return;
      }
      throw e;
    }
  }

  /**
   * A round of federation-wide customer-level DP: check its parameters (withdraw when they fail or the
   * customers' budget is spent), then send this node's share through secure aggregation. No metric or count
   * leaves the node: held-out metrics stay in its log.
   */
  private void contributeCustomerDp(Task task) throws Exception {
    InterestModel local = model.modelFor(task);
    String refusal = federationDp.refusal(task, data.split().train().size(), local);
    if (refusal != null) {
      withdraw(refusal);
      return;
    }
    float[] global = coordinator.downloadModel(task.getRoundId(), task.getModelVersion(), task.getModelLength());
    SecAggParticipant.Input input = federationDp.contribute(task, global, local, data.split().train());
    if (stopped.get()) {
      return;
    }
    sentUpdates.put(task.getRoundId(), new SentUpdate(task.getRoundId(), task.getModelVersion(), null, 1));
    secureAggregation.run(task, global, input);
    roundsTrained++;
  }

  /**
   * {@code trained - global}, clipped to the federation's clip norm when it sets one (client-level DP:
   * nothing this node sends exceeds it). Logs the norm before clipping, from which operators size the
   * clip norm (an update norm is not sent anywhere).
   */
  private float[] clippedDelta(Task task, float[] global, float[] trained) {
    float[] delta = new float[trained.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = trained[i] - global[i];
    }
    double updateNorm = L2Clipper.norm(delta);
    if (task.getConfig().getClipNorm() > 0) {
      new L2Clipper(task.getConfig().getClipNorm()).clip(delta);
    }
    LOG.info(String.format(Locale.ROOT, "%s: round %d update L2 norm %.4f%s", config.name,
        task.getRoundId(), updateNorm, task.getConfig().getClipNorm() > 0
            ? String.format(Locale.ROOT, " (clip norm %.4f)", task.getConfig().getClipNorm()) : ""));
    return delta;
  }

  /** Tells the coordinator this node will not train again, so no round waits for it. */
  private void withdraw(String reason) throws Exception {
    WithdrawReceipt receipt = coordinator.withdraw(reason);
    withdrawn = true;
    LOG.warning(String.format("%s: withdrew from training%s: %s; waiting for the final model", config.name,
        receipt.getRoundId() > 0 ? " in round " + receipt.getRoundId() : "", reason));
  }

  /** True once this node has sent (or started to send) its update for {@code roundId}. */
  boolean sent(long roundId) {
    return sentUpdates.containsKey(roundId);
  }

  /** The update this node sent in {@code roundId}, or null. */
  SentUpdate sentUpdate(long roundId) {
    return sentUpdates.get(roundId);
  }

  int roundsTrained() {
    return roundsTrained;
  }

  /** The rounds this node sent an update for, oldest first: round, model version trained from, weight sent. */
  io.vertx.core.json.JsonArray history() {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    sentUpdates.values().stream().sorted(java.util.Comparator.comparingLong(SentUpdate::roundId))
        .forEach(u -> out.add(new io.vertx.core.json.JsonObject().put("round", u.roundId())
            .put("modelVersion", u.modelVersion()).put("weight", u.examples())));
    return out;
  }

  /** True once this node has told the coordinator it will not train again. */
  boolean withdrawn() {
    return withdrawn;
  }
}
