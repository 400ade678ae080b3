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
import io.interestfl.interest.model.TrainingStats;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.CatalogueChunk;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.CatalogueRequest;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.RegisterResponse;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.TrainingConfig;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.protocol.SecAggChunks;
import io.interestfl.protocol.v1.SecAggFetchRequest;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.SecAggRoundStart;
import io.interestfl.protocol.v1.SecAggTask;
import io.interestfl.protocol.v1.SecureAggregationConfig;
import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.protocol.SecAggClient;
import io.interestfl.secagg.protocol.SecAggException;
import io.interestfl.secagg.quantization.Quantizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A merchant's node, one round read top to bottom in {@link #trainRound}: download the global model,
 * evaluate it on the held-out baskets, train locally, send the weight delta (with the evaluation).
 * The node runs on the calling thread (training is blocking work); gRPC runs on its own Vert.x.
 */
public final class ClientNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());
  private static final int EVALUATION_K = 10;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /** Costs of one round's secure aggregation at this node. */
  public record SecureAggregationCost(long roundId, double maskingMillis, long bytesUp, long plainBytes) {}

  /** What this node last sent, for tests and diagnostics. */
  public record SentUpdate(long roundId, long modelVersion, float[] delta, long examples) {}

  private final ClientConfig config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final FederationStub stub;
  /** Long-term signing key for secure aggregation (lives as long as the process). */
  private final Ed25519Identity identity;
  private final java.security.SecureRandom secureRandom = new java.security.SecureRandom();
  private volatile SecAggPhase dieAfterPhase;
  private final java.util.Map<Long, SecureAggregationCost> secureCosts = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopped;
  private final java.util.Map<Long, SentUpdate> sentUpdates = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile RankingMetrics finalMetrics;
  private LoadResult data;
  private ItemCatalogue catalogue;
  private TrainTestSplit split;
  private InterestModel model;
  private TrainingConfig trainingConfig;
  private int roundsTrained;
  /** Customer-level privacy ledger of this node (null when user-level DP is off). */
  private io.interestfl.privacy.budget.PrivacyLedger customerLedger;
  private volatile boolean withdrawn;

  public ClientNode(ClientConfig config) {
    this(config, Vertx.vertx(), true);
  }

  public ClientNode(ClientConfig config, Vertx vertx, boolean ownsVertx) {
    this.config = config;
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.identity = Ed25519Identity.generate(secureRandom);
    this.stub = new FederationStub(vertx,
        SocketAddress.inetSocketAddress(config.coordinatorPort(), config.coordinatorHost()), 120);
  }

  /** Runs until the federation finishes (or {@link #stop()}); returns the final model's metrics. */
  public RankingMetrics run() throws Exception {
    try {
      return participate();
    } finally {
      closeLedger();
    }
  }

  private RankingMetrics participate() throws Exception {
    InterestModel.configureThreads(config.threads);
    if (config.userLevelPrivacy.enabled) {
      customerLedger = io.interestfl.privacy.budget.PrivacyLedger.open(config.ledgerPath(),
          new io.interestfl.privacy.budget.PrivacyBudget(config.userLevelPrivacy.epsilon, config.userLevelPrivacy.delta));
      LOG.info(String.format("%s: user-level DP on: ledger %s, epsilon %.4f of %.4f spent", config.name,
          config.ledgerPath(), customerLedger.epsilon(), config.userLevelPrivacy.epsilon));
    }
    loadData();
    CatalogueInfo expected = register();
    fetchCatalogue(expected);
    while (!stopped) {
      Task task = call(() -> stub.getTask(TaskRequest.newBuilder()
          .setFederationId(config.federationId).setClientId(config.name).build()));
      switch (task.getKind()) {
        case TRAIN -> {
          if (sentUpdates.containsKey(task.getRoundId())) {
            Thread.sleep(Math.max(100, task.getPollAfterMillis())); // done with this round, waiting for it to close
          } else {
            trainRound(task);
          }
        }
        case FINISHED -> {
          finish(task);
          return finalMetrics;
        }
        default -> Thread.sleep(Math.max(100, task.getPollAfterMillis()));
      }
    }
    return finalMetrics;
  }

  /** Makes the node leave at its next step, as if the merchant shut it down. */
  public void stop() {
    stopped = true;
  }

  private void loadData() {
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

  private CatalogueInfo register() throws Exception {
    Set<String> baskets = new HashSet<>();
    data.purchases().forEach(p -> baskets.add(p.customerId() + "/" + p.invoice()));
    RegisterResponse response = call(() -> stub.register(RegisterRequest.newBuilder()
        .setFederationId(config.federationId)
        .setClientName(config.name)
        .setRegion(config.region)
        .setNumExamples(baskets.size())
        .setIdentityKey(com.google.protobuf.ByteString.copyFrom(identity.publicKey()))
        .build()));
    return response.getCatalogue();
  }

  /** Downloads the shared catalogue, checks it against the published hash, and maps the data to it. */
  private void fetchCatalogue(CatalogueInfo expected) throws Exception {
    List<CatalogueChunk> chunks = call(() -> stub.downloadCatalogue(CatalogueRequest.newBuilder()
        .setFederationId(config.federationId).setClientId(config.name).build()));
    List<String> codes = new ArrayList<>();
    chunks.forEach(chunk -> codes.addAll(chunk.getCodesList()));
    catalogue = ItemCatalogue.of(codes);
    if (!catalogue.sha256().equals(expected.getSha256()) || catalogue.size() != expected.getSize()) {
      throw new IllegalStateException("catalogue from the coordinator does not match its published hash "
          + expected.getSha256() + " / size " + expected.getSize() + " (got " + catalogue.sha256() + " / "
          + catalogue.size() + ")");
    }
    List<CustomerHistory> histories = BasketSequences.build(data.purchases(), catalogue);
    split = TrainTestSplit.lastBasket(histories);
    long unknown = data.purchases().stream().filter(p -> catalogue.idOf(p.stockCode()) == 1).count();
    LOG.info(String.format("%s: catalogue of %d items (sha256 %s...), %d customers, %d held-out baskets, "
            + "%d purchases of products outside the catalogue mapped to OOV", config.name, catalogue.size(),
        catalogue.sha256().substring(0, 12), histories.size(), split.test().size(), unknown));
  }

  private void trainRound(Task task) throws Exception {
    String outOfBudget = customerBudgetRefusal(task);
    if (outOfBudget != null) {
      withdraw(outOfBudget);
      return;
    }
    float[] global = downloadModel(task.getRoundId(), task.getModelVersion(), task.getModelLength());
    InterestModel local = modelFor(task);
    local.setParameters(global);
    RankingMetrics before = evaluate(local);
    TrainingStats stats = customerLedger == null ? local.train(split.train(), task.getConfig().getLocalEpochs())
        : trainWithUserLevelPrivacy(local, task);
    if (stats.examples() == 0) {
      LOG.warning(config.name + ": no training examples (customers need 2+ baskets before the held-out one); "
          + "skipping round " + task.getRoundId());
      Thread.sleep(1000);
      return;
    }
    float[] trained = local.parameters();
    float[] delta = new float[trained.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = trained[i] - global[i];
    }
    double updateNorm = io.interestfl.privacy.clipping.L2Clipper.norm(delta);
    if (task.getConfig().getClipNorm() > 0) {
      // Client-level DP: nothing this node sends exceeds the federation's clip norm.
      new io.interestfl.privacy.clipping.L2Clipper(task.getConfig().getClipNorm()).clip(delta);
    }
    // Operators size the federation's clip norm from this (an update norm is not sent anywhere).
    LOG.info(String.format(java.util.Locale.ROOT, "%s: round %d update L2 norm %.4f%s", config.name,
        task.getRoundId(), updateNorm, task.getConfig().getClipNorm() > 0
            ? String.format(java.util.Locale.ROOT, " (clip norm %.4f)", task.getConfig().getClipNorm()) : ""));
    // With customer-level DP the example count and the training loss are raw statistics of the
    // customers: the update goes out with weight 1 and no loss, so only the private update leaves.
    boolean customerPrivate = customerLedger != null;
    long weight = customerPrivate ? 1 : stats.examples();
    double reportedLoss = customerPrivate ? 0 : stats.meanLoss();
    UpdateSummary summary = UpdateSummary.newBuilder()
        .setCustomerEpsilon(customerPrivate ? customerLedger.epsilon() : 0)
        .setNumExamples(weight)
        .setMeanTrainLoss(reportedLoss)
        .setTrainSeconds(stats.seconds())
        .setGlobalModelMetrics(toProto(before))
        .build();
    if (stopped) {
      return;
    }
    if (task.getConfig().getSecureAggregation().getEnabled()) {
      // The update never leaves this node in the clear: report loss and metrics, then mask.
      call(() -> stub.reportEvaluation(EvaluationReport.newBuilder()
          .setFederationId(config.federationId).setClientId(config.name).setRoundId(task.getRoundId())
          .setModelVersion(task.getModelVersion()).setSubject(EvaluationReport.Subject.FEDERATED)
          .setMetrics(toProto(before)).setMeanTrainLoss(reportedLoss).setNumExamples(weight)
          .setCustomerEpsilon(customerPrivate ? customerLedger.epsilon() : 0)
          .build()));
      sentUpdates.put(task.getRoundId(), new SentUpdate(task.getRoundId(), task.getModelVersion(), delta, weight));
      secureAggregation(task, global, delta, weight, task.getConfig().getDistributedNoiseVariance());
      roundsTrained++;
      return;
    }
    try {
      call(() -> stub.uploadUpdate(UpdateChunks.of(config.federationId, config.name, task.getRoundId(),
          task.getModelVersion(), delta, summary).iterator()));
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
   * Drives this node's side of SecAgg+ for one round: poll the phase, fetch the server's message,
   * answer it. Returns when the round is over for this node (unmasking answered, dropped, or the
   * round closed); a protocol violation by the server aborts the round here and reveals nothing.
   */
  private void secureAggregation(Task task, float[] global, float[] delta, long examples, double noiseVariance)
      throws Exception {
    SecureAggregationConfig settings = task.getConfig().getSecureAggregation();
    byte[] modelHash = java.security.MessageDigest.getInstance("SHA-256").digest(FloatVectors.toBytes(global));
    SecAggClient protocol = null;
    int[] input = null;
    double maskingMillis = 0;
    long bytesUp = 0;
    while (!stopped) {
      Task current = call(() -> stub.getTask(TaskRequest.newBuilder()
          .setFederationId(config.federationId).setClientId(config.name).build()));
      if (current.getKind() != Task.Kind.TRAIN || current.getRoundId() != task.getRoundId() || !current.hasSecagg()) {
        LOG.info(config.name + ": round " + task.getRoundId() + " secure aggregation over for this node: "
            + current.getKind() + " " + current.getMessage());
        return;
      }
      SecAggTask step = current.getSecagg();
      if (step.getSubmitted()) {
        Thread.sleep(200);
        continue;
      }
      SecAggPhase phase = step.getPhase();
      byte[] payload = call(() -> stub.secAggFetch(SecAggFetchRequest.newBuilder().setFederationId(config.federationId)
          .setClientId(config.name).setRoundId(task.getRoundId()).setPhase(phase).build()));
      ClientMessage reply;
      try {
        switch (phase) {
          case ADVERTISE_KEYS -> {
            SecAggRoundStart start = SecAggRoundStart.parseFrom(payload);
            java.util.Map<Integer, byte[]> keys = new java.util.HashMap<>();
            start.getIdentityKeysMap().forEach((id, key) -> keys.put(id, key.toByteArray()));
            RoundStart roundStart = RoundStart.fromBytes(start.getRoundStart().toByteArray());
            protocol = new SecAggClient(step.getSecaggId(), identity, keys, secureRandom);
            Quantizer quantizer = Quantizer.forCohort(roundStart.cohort().length, settings.getClipRange(),
                settings.getMaxWeight(), settings.getPrecisionBits());
            if (noiseVariance > 0) {
              // Distributed DP: every client counts once, and its share of the noise goes in before masking.
              input = quantizer.quantizeWeighted(delta, settings.getMaxWeight(), secureRandom);
              addDiscreteGaussianNoise(input, noiseVariance, quantizer.bitWidth());
            } else {
              input = quantizer.quantizeWeighted(delta, examples, secureRandom);
            }
            reply = protocol.advertiseKeys(roundStart, modelHash);
          }
          case SHARE_KEYS -> reply = requireStarted(protocol, phase).shareKeys(KeyDirectory.fromBytes(payload));
          case MASKED_INPUT -> {
            long started = System.nanoTime();
            reply = requireStarted(protocol, phase).maskInput(ShareBundle.fromBytes(payload), input);
            maskingMillis = (System.nanoTime() - started) / 1e6;
          }
          case CONSISTENCY_CHECK -> reply = requireStarted(protocol, phase).consistencyCheck(SurvivorList.fromBytes(payload));
          case UNMASKING -> reply = requireStarted(protocol, phase).unmask(UnmaskRequest.fromBytes(payload));
          default -> throw new IllegalStateException("unknown secure aggregation phase " + phase);
        }
      } catch (SecAggException e) {
        LOG.severe(config.name + ": aborting round " + task.getRoundId() + "'s secure aggregation in " + phase
            + ": " + e.getMessage());
        return;
      }
      byte[] message = reply.toBytes();
      try {
        double reportedMasking = phase == SecAggPhase.CONSISTENCY_CHECK ? maskingMillis : 0;
        call(() -> stub.secAggSubmit(SecAggChunks.of(config.federationId, config.name, task.getRoundId(), phase,
            message).stream().map(c -> c.toBuilder().setMaskingMillis(reportedMasking).build()).iterator()));
        bytesUp += message.length;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RpcException rpc && !rpc.isTransient()) {
          LOG.warning(config.name + ": " + phase + " reply refused: " + rpc.getMessage());
          continue;
        }
        throw e;
      }
      if (phase == dieAfterPhase) {
        LOG.warning(config.name + ": fault injection: leaving after " + phase);
        stop();
        return;
      }
      if (phase == SecAggPhase.UNMASKING) {
        secureCosts.put(task.getRoundId(), new SecureAggregationCost(task.getRoundId(), maskingMillis, bytesUp,
            4L * delta.length));
        LOG.info(String.format("%s: round %d secure aggregation done: masking %.0f ms, %,d bytes up (plain update %,d)",
            config.name, task.getRoundId(), maskingMillis, bytesUp, 4L * delta.length));
        return;
      }
    }
  }

  /** Adds N_Z(0, variance) to every coordinate but the last (the weight word), modulo 2^bits. */
  private void addDiscreteGaussianNoise(int[] input, double variance, int bits) {
    io.interestfl.privacy.noise.DiscreteGaussianSampler sampler =
        io.interestfl.privacy.noise.DiscreteGaussianSampler.ofVariance(variance, secureRandom);
    long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
    long started = System.nanoTime();
    for (int i = 0; i < input.length - 1; i++) {
      input[i] = (int) ((input[i] + sampler.sample()) & mask);
    }
    LOG.info(String.format("%s: distributed DP noise (variance %.3g levels^2) added to %,d coordinates in %.0f ms",
        config.name, variance, input.length - 1, (System.nanoTime() - started) / 1e6));
  }

  private static SecAggClient requireStarted(SecAggClient protocol, SecAggPhase phase) {
    if (protocol == null) {
      throw new IllegalStateException("secure aggregation phase " + phase + " reached without ADVERTISE_KEYS");
    }
    return protocol;
  }

  /** Fault injection for tests: the node leaves right after answering {@code phase}. */
  public void dieAfter(SecAggPhase phase) {
    this.dieAfterPhase = phase;
  }

  public SecureAggregationCost secureAggregationCost(long roundId) {
    return secureCosts.get(roundId);
  }

  /**
   * Local training with customer-level DP-SGD: each sampled customer's gradient is clipped, the sum
   * noised. The round is recorded in this node's ledger before the update leaves the node; a round
   * that would exceed the customers' budget is not trained (null), and the node sits it out.
   */
  private TrainingStats trainWithUserLevelPrivacy(InterestModel local, Task task) throws java.io.IOException {
    io.interestfl.interest.model.DpSgdConfig dp = customerDpSgd();
    int epochs = task.getConfig().getLocalEpochs();
    ClientConfig.UserLevelPrivacy settings = config.userLevelPrivacy;
    io.interestfl.interest.model.UserLevelDpTrainer trainer =
        new io.interestfl.interest.model.UserLevelDpTrainer(local, dp, secureRandom);
    TrainingStats stats = trainer.train(split.train(), epochs);
    if (trainer.lastMechanism() != null) {
      customerLedger.spend(task.getRoundId(), trainer.lastMechanism());
    }
    LOG.info(String.format("%s: user-level DP-SGD: %s; customers' epsilon now %.4f (delta %s)", config.name,
        trainer.lastReport(), customerLedger.epsilon(), settings.delta));
    return stats;
  }

  private io.interestfl.interest.model.DpSgdConfig customerDpSgd() {
    ClientConfig.UserLevelPrivacy settings = config.userLevelPrivacy;
    return new io.interestfl.interest.model.DpSgdConfig(settings.clipNorm, settings.noiseMultiplier,
        settings.customersPerStep);
  }

  /**
   * Why this node must not train {@code task}'s round: the round's customer-level DP-SGD would take
   * the customers' epsilon past this node's budget. Null when it may train (or user-level DP is off).
   */
  private String customerBudgetRefusal(Task task) {
    if (customerLedger == null) {
      return null;
    }
    io.interestfl.privacy.accounting.SubsampledGaussian planned =
        customerDpSgd().mechanism(split.train().size(), task.getConfig().getLocalEpochs());
    if (customerLedger.canSpend(planned)) {
      return null;
    }
    return String.format(java.util.Locale.ROOT,
        "customer-level privacy budget spent: epsilon %.4f, one more round would reach %.4f > %.4f (delta %s)",
        customerLedger.epsilon(), customerLedger.epsilonIfSpent(planned).epsilon(), config.userLevelPrivacy.epsilon,
        config.userLevelPrivacy.delta);
  }

  /** Tells the coordinator this node will not train again, so no round waits for it. */
  private void withdraw(String reason) throws Exception {
    io.interestfl.protocol.v1.WithdrawReceipt receipt = call(() -> stub.withdraw(
        io.interestfl.protocol.v1.WithdrawRequest.newBuilder().setFederationId(config.federationId)
            .setClientId(config.name).setReason(reason).build()));
    withdrawn = true;
    LOG.warning(String.format("%s: withdrew from training%s: %s; waiting for the final model", config.name,
        receipt.getRoundId() > 0 ? " in round " + receipt.getRoundId() : "", reason));
  }

  /** True once this node has told the coordinator it will not train again. */
  public boolean withdrawn() {
    return withdrawn;
  }

  private void finish(Task task) throws Exception {
    LOG.info(config.name + ": " + task.getMessage());
    trainingConfig = task.getConfig();
    InterestModel local = modelFor(task);
    local.setParameters(downloadModel(task.getRoundId(), task.getModelVersion(), task.getModelLength()));
    finalMetrics = evaluate(local);
    report(task, EvaluationReport.Subject.FEDERATED, finalMetrics, 0);
    LOG.info(String.format("%s: final federated model v%d: %s", config.name, task.getModelVersion(), finalMetrics));
    if (config.adaptEpochs > 0 && customerLedger != null) {
      LOG.warning(config.name + ": adapt-epochs ignored: local adaptation is not private and this node runs "
          + "customer-level DP; serving the global model");
    } else if (config.adaptEpochs > 0) {
      float[] global = local.parameters();
      int epochs = io.interestfl.interest.model.LocalAdaptation.adapt(local, global, split.train(), config.adaptEpochs);
      RankingMetrics adapted = evaluate(local);
      report(task, EvaluationReport.Subject.ADAPTED, adapted, epochs);
      LOG.info(String.format("%s: adapted the final model locally for %d epoch(s) (chosen on validation baskets, "
          + "0..%d): %s", config.name, epochs, config.adaptEpochs, adapted));
    }
    io.interestfl.serving.ServingConfig serving = config.servingConfig();
    if (config.baselines) {
      RankingMetrics popularity = RankingEvaluator.evaluate(
          PopularityBaseline.fromHistories(split.train(), catalogue.size()), split.test(), EVALUATION_K,
          catalogue.size());
      report(task, EvaluationReport.Subject.POPULARITY, popularity, 0);
      int epochs = task.getConfig().getRounds() * task.getConfig().getLocalEpochs();
      try (InterestModel alone = InterestModel.create(modelConfig(task.getConfig()))) {
        if (customerLedger == null) {
          alone.train(split.train(), epochs);
        } else {
          // A fair baseline: alone, the merchant would have to protect its customers just the same.
          new io.interestfl.interest.model.UserLevelDpTrainer(alone, customerDpSgd(), secureRandom)
              .train(split.train(), epochs);
        }
        RankingMetrics aloneMetrics = evaluate(alone);
        report(task, EvaluationReport.Subject.LOCAL_ONLY, aloneMetrics, epochs);
        LOG.info(String.format("%s: popularity %s; trained alone for %d epochs %s", config.name, popularity,
            epochs, aloneMetrics));
      }
    }
    if (serving != null) {
      serve(serving, local);
    }
  }

  /**
   * Serves recommendations from the final model until the node is stopped: customer vectors and item
   * vectors come from the interest model, the exploration policy from the serving section, and
   * feedback goes to the merchant's local log that the next federation trains on.
   */
  private void serve(io.interestfl.serving.ServingConfig serving, InterestModel model) throws Exception {
    List<CustomerHistory> histories = BasketSequences.build(data.purchases(), catalogue);
    io.interestfl.serving.RecommendationServer server = serving.createServer(
        io.interestfl.serving.InterestModelRepresentations.of(model, histories, null));
    int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    LOG.info(String.format("%s: serving recommendations (%s) on http://127.0.0.1:%d/v1/recommendations?customer=ID&k=10;"
        + " feedback to %s", config.name, serving.policy(), port, serving.feedbackLog()));
    try {
      while (!stopped) {
        Thread.sleep(500);
      }
    } finally {
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void report(Task task, EvaluationReport.Subject subject, RankingMetrics metrics, int epochs)
      throws Exception {
    call(() -> stub.reportEvaluation(EvaluationReport.newBuilder()
        .setFederationId(config.federationId)
        .setClientId(config.name)
        .setRoundId(task.getRoundId())
        .setModelVersion(task.getModelVersion())
        .setSubject(subject)
        .setMetrics(toProto(metrics))
        .setEpochs(epochs)
        .build()));
  }

  private RankingMetrics evaluate(InterestModel scorer) {
    return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(scorer::score), split.test(),
        EVALUATION_K, catalogue.size());
  }

  /** One model per node, created from the federation's spec on first use and checked against it. */
  private InterestModel modelFor(Task task) {
    trainingConfig = task.getConfig();
    if (model == null) {
      model = InterestModel.create(modelConfig(trainingConfig));
    }
    if (model.parameterCount() != task.getModelLength()) {
      throw new IllegalStateException("the federation's model has " + task.getModelLength()
          + " parameters but " + model.config() + " has " + model.parameterCount()
          + ": coordinator and client disagree on the model or catalogue");
    }
    return model;
  }

  private ModelConfig modelConfig(TrainingConfig training) {
    return new ModelConfig(training.getModel().getArchitecture(), catalogue.size(),
        training.getModel().getHistoryLength(), training.getModel().getEmbeddingSize(),
        training.getModel().getHiddenSize(), training.getLearningRate(), training.getBatchSize(),
        training.getSeed(), training.getModel().getContextInputs());
  }

  private float[] downloadModel(long roundId, long version, long length) throws Exception {
    float[] model = new float[Math.toIntExact(length)];
    int[] received = new int[1];
    call(() -> {
      received[0] = 0;
      return stub.downloadModel(ModelRequest.newBuilder().setFederationId(config.federationId)
          .setClientId(config.name).setRoundId(roundId).setModelVersion(version).build(), chunk -> {
            if (chunk.getTotalLength() != length || chunk.getOffset() != received[0]
                || chunk.getModelVersion() != version) {
              throw new IllegalStateException("inconsistent model chunk at offset " + chunk.getOffset()
                  + " (expected " + received[0] + " of " + length + ", v" + version + ")");
            }
            received[0] += FloatVectors.decodeInto(chunk.getData().asReadOnlyByteBuffer(), model, received[0]);
          });
    });
    if (received[0] != length) {
      throw new IllegalStateException("model v" + version + " download ended after " + received[0] + " of "
          + length + " values");
    }
    return model;
  }

  private static Metrics toProto(RankingMetrics metrics) {
    return Metrics.newBuilder()
        .setHitRateAt10(metrics.hitRate())
        .setNdcgAt10(metrics.ndcg())
        .setMrr(metrics.mrr())
        .setNumUsers(metrics.users())
        .build();
  }

  /**
   * Waits for a call; retries transient failures (coordinator restarting or unreachable) with
   * backoff, and re-registers when a restarted coordinator no longer knows this node.
   */
  private <T> T call(java.util.concurrent.Callable<Future<T>> attempt) throws Exception {
    long backoff = 200;
    while (true) {
      try {
        return attempt.call().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        if (stopped || !(e.getCause() instanceof RpcException rpc)) {
          throw e;
        }
        if (rpc.status() == GrpcStatus.UNAUTHENTICATED && catalogue != null) {
          LOG.warning(config.name + ": coordinator does not know this node (restarted?), registering again");
          register();
        } else if (!rpc.isTransient()) {
          throw e;
        } else {
          LOG.fine(config.name + ": " + rpc.getMessage() + ", retrying in " + backoff + " ms");
        }
        Thread.sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /** The update this node sent in {@code roundId}, or null. */
  public SentUpdate sentUpdate(long roundId) {
    return sentUpdates.get(roundId);
  }

  public int roundsTrained() {
    return roundsTrained;
  }

  public TrainTestSplit split() {
    return split;
  }

  private synchronized void closeLedger() {
    if (customerLedger != null) {
      try {
        customerLedger.close();
      } catch (java.io.IOException e) {
        LOG.warning("could not close the privacy ledger: " + e);
      }
      customerLedger = null;
    }
  }

  @Override
  public void close() {
    stopped = true;
    closeLedger();
    stub.close();
    if (model != null) {
      model.close();
    }
    if (ownsVertx) {
      vertx.close();
    }
  }
}
