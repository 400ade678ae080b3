package io.interestfl.coordinator.round;

import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.coordinator.catalogue.Catalogue;
import io.interestfl.coordinator.checkpoint.CheckpointStore;
import io.interestfl.coordinator.checkpoint.FederationSnapshot;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.CentralPrivacy;
import io.interestfl.coordinator.privacy.DistributedPrivacy;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyBudgetExceededException;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.interestfl.coordinator.secagg.SecureAggregationRound;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.SecAggTask;
import io.interestfl.secagg.protocol.SecAggException;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.interestfl.protocol.v1.ModelSpec;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.RegisterResponse;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.TrainingConfig;
import io.interestfl.protocol.v1.WithdrawReceipt;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UploadReceipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The federation's round loop, readable top to bottom:
 *
 * <pre>
 *   WAITING_FOR_CLIENTS --(>= min-clients active)--> TRAINING: sample cohort, open round r on model v
 *   TRAINING --(all cohort updates in, or deadline)--> AGGREGATING
 *   AGGREGATING --(>= min-updates)--> commit v+1, checkpoint --> WAITING_FOR_CLIENTS or FINISHED
 *   AGGREGATING --(too few updates)--> retry with a new round id on model v (FAILED after max retries)
 * </pre>
 *
 * <p>All methods run on the coordinator's event loop; only aggregation and checkpoint I/O go to a
 * worker thread. Every request is validated before it touches state: a {@link Rejection} leaves the
 * round exactly as it was.
 */
public final class RoundController {
  private static final Logger LOG = Logger.getLogger(RoundController.class.getName());
  private static final long TICK_MILLIS = 200;

  public enum Phase { WAITING_FOR_CLIENTS, TRAINING, AGGREGATING, FINISHED, FAILED }

  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final Catalogue catalogue;
  private final AggregationStrategy strategy;
  private final CheckpointStore checkpoints;
  private final ClientRegistry registry;
  /** Central DP-FedAvg, or null when the federation runs without differential privacy. */
  private final CentralPrivacy privacy;
  /** Distributed DP under secure aggregation, or null. */
  private final DistributedPrivacy distributedPrivacy;
  private final SecureRandom cohortRandom = new SecureRandom();
  private final List<JsonObject> history = new ArrayList<>();
  /** FEDERATED evaluations: model version -> client -> metrics. */
  private final Map<Long, Map<String, JsonObject>> evaluations = new TreeMap<>();
  /** Baselines (LOCAL_ONLY, POPULARITY): subject -> client -> metrics. */
  private final Map<String, Map<String, JsonObject>> baselines = new TreeMap<>();
  private final List<Consumer<JsonObject>> roundListeners = new ArrayList<>();
  /** Unmasking uses every core, off the event loop. */
  private final java.util.concurrent.ExecutorService unmaskingPool;

  private final String modelDescription;
  private float[] globalModel;
  private long modelVersion;
  private long lastRoundId;
  private int consecutiveFailedRounds;
  private Phase phase = Phase.WAITING_FOR_CLIENTS;
  private String failure;
  private Round round;
  private int activeUploads;
  private long timerId = -1;

  public RoundController(Vertx vertx, CoordinatorConfig config, Catalogue catalogue, float[] initialModel,
      String modelDescription, CheckpointStore checkpoints) {
    this.vertx = vertx;
    this.config = config;
    this.catalogue = catalogue;
    this.strategy = config.strategy();
    this.checkpoints = checkpoints;
    this.registry = new ClientRegistry(config.clientTimeoutSeconds * 1000L);
    this.modelDescription = modelDescription;
    this.privacy = "central".equals(config.privacy.mode)
        ? new CentralPrivacy(config.privacy.clipNorm, config.privacy.noiseMultiplier,
            new PrivacyBudget(config.privacy.epsilon, config.privacy.delta), config.resolve(config.privacy.ledger),
            config.privacy.adaptiveClipping, config.cohortSize > 0 ? config.cohortSize : config.minClients)
        : null;
    this.distributedPrivacy = "distributed".equals(config.privacy.mode)
        ? new DistributedPrivacy(config.privacy.clipNorm, config.privacy.noiseMultiplier, config.minUpdates,
            config.secureAggregation.precisionBits, initialModel.length,
            new PrivacyBudget(config.privacy.epsilon, config.privacy.delta), config.resolve(config.privacy.ledger))
        : null;
    this.unmaskingPool = config.secureAggregation.enabled
        ? java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
          Thread thread = new Thread(r, "secagg-unmasking");
          thread.setDaemon(true);
          return thread;
        })
        : null;
    this.globalModel = initialModel.clone();
    int bad = FloatVectors.firstNonFinite(globalModel);
    if (bad >= 0) {
      throw new IllegalArgumentException("initial model has a non-finite value at index " + bad);
    }
  }

  /** Resumes from the last checkpoint, if any, and starts the round loop. */
  public void start() {
    if (checkpoints != null) {
      FederationSnapshot snapshot = checkpoints.load();
      if (snapshot != null) {
        if (snapshot.model().length != globalModel.length) {
          throw new IllegalStateException("checkpoint model has " + snapshot.model().length
              + " values but the configured initial model has " + globalModel.length);
        }
        globalModel = snapshot.model();
        modelVersion = snapshot.modelVersion();
        lastRoundId = snapshot.lastRoundId();
        strategy.restore(snapshot.optimizerState());
        snapshot.history().forEach(entry -> history.add((JsonObject) entry));
        restoreEvaluations(snapshot.evaluations());
        LOG.info(String.format("resumed federation %s from checkpoint: model v%d after round %d",
            config.federationId, modelVersion, lastRoundId));
      }
    }
    if (modelVersion >= config.rounds) {
      phase = Phase.FINISHED;
    }
    timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (unmaskingPool != null) {
      unmaskingPool.shutdownNow();
    }
    if (distributedPrivacy != null) {
      try {
        distributedPrivacy.close();
      } catch (java.io.IOException e) {
        LOG.warning("could not close the privacy ledger: " + e);
      }
    }
    if (privacy != null) {
      try {
        privacy.close();
      } catch (java.io.IOException e) {
        LOG.warning("could not close the privacy ledger: " + e);
      }
    }
  }

  /** Called with the history entry of every round as it closes (committed or retried). */
  public void onRoundClosed(Consumer<JsonObject> listener) {
    roundListeners.add(listener);
  }

  // ---------------------------------------------------------------- the loop

  private void tick() {
    long now = System.currentTimeMillis();
    if (phase == Phase.WAITING_FOR_CLIENTS) {
      String tooFew = tooFewTrainable();
      if (tooFew != null) {
        stop(tooFew);
        return;
      }
      List<ClientRegistry.Client> active = registry.active(now);
      if (active.size() >= config.minClients) {
        openRound(active, now);
      }
    } else if (phase == Phase.TRAINING && round.secure != null) {
      advanceSecureAggregation(now);
    } else if (phase == Phase.TRAINING && now >= round.deadlineMillis) {
      closeRound("deadline");
    }
  }

  /** Moves the SecAgg+ exchange on when its phase is complete; closes the round after unmasking input. */
  private void advanceSecureAggregation(long now) {
    SecureAggregationRound secure = round.secure;
    if (!secure.phaseComplete(now)) {
      return;
    }
    SecAggPhase closing = secure.phase();
    try {
      if (secure.advance(now)) {
        round.submitted.addAll(secure.survivors());
        closeRound("secure aggregation complete");
      } else {
        LOG.info(String.format("round %d: secure aggregation %s closed, now %s", round.id, closing, secure.phase()));
      }
    } catch (SecAggException e) {
      // Too few survivors or unrecoverable secrets: nothing is revealed and the round is retried.
      LOG.warning("round " + round.id + ": secure aggregation failed in " + closing + ": " + e.getMessage());
      round.submitted.clear();
      closeRound("secure aggregation failed: " + e.getMessage());
    }
  }

  private void openRound(List<ClientRegistry.Client> active, long now) {
    List<String> ids = new ArrayList<>();
    active.forEach(client -> ids.add(client.id()));
    Collections.shuffle(ids, cohortRandom);
    int size = config.cohortSize > 0 ? config.cohortSize : (int) Math.ceil(config.cohortFraction * ids.size());
    size = Math.max(1, Math.min(size, ids.size()));
    List<String> cohort = ids.subList(0, size);
    int population = registry.all().size();
    if (distributedPrivacy != null && distributedPrivacy.refusal() != null) {
      stop(distributedPrivacy.refusal());
      return;
    }
    if (privacy != null) {
      String refusal = privacy.refusal(cohort.size(), population);
      if (refusal != null) {
        stop(refusal);
        return;
      }
    }
    lastRoundId++;
    round = new Round(lastRoundId, modelVersion, cohort, population, now,
        now + config.roundTimeoutSeconds * 1000L, globalModel.length);
    if (config.secureAggregation.enabled) {
      round.secure = new SecureAggregationRound(round.id, cohort,
          id -> registry.find(id).orElseThrow().identityKey(), globalModel, config.secureAggregation,
          secureClipRange(), round.deadlineMillis);
    }
    phase = Phase.TRAINING;
    LOG.info(String.format("round %d opened on model v%d: cohort %s (of %d active), deadline %ds",
        round.id, modelVersion, round.cohort, active.size(), config.roundTimeoutSeconds));
  }

  /**
   * Once clients have withdrawn, the federation stops if those left could never satisfy min-clients
   * or min-updates, instead of waiting for clients that will not train (null while it can go on).
   */
  private String tooFewTrainable() {
    int trainable = registry.trainable();
    int withdrawn = registry.all().size() - trainable;
    int needed = Math.max(config.minClients, config.minUpdates);
    if (withdrawn == 0 || trainable >= needed) {
      return null;
    }
    List<String> reasons = new ArrayList<>();
    registry.all().stream().filter(c -> c.withdrawnBecause() != null)
        .forEach(c -> reasons.add(c.id() + ": " + c.withdrawnBecause()));
    return String.format("only %d client(s) can still train, %d needed (min-clients %d, min-updates %d); withdrawn: %s",
        trainable, needed, config.minClients, config.minUpdates, String.join("; ", reasons));
  }

  /**
   * A client says it will not train again (e.g. its customers' privacy budget is spent). The round it
   * is in stops waiting for it; it is never sampled again but still gets the final model.
   */
  public WithdrawReceipt withdraw(WithdrawRequest request) {
    checkFederation(request.getFederationId());
    String clientId = requireRegistered(request.getClientId());
    if (request.getReason().length() > 1000) {
      throw Rejection.invalid("withdrawal reason longer than 1000 characters");
    }
    registry.withdraw(clientId, request.getReason());
    long inRound = 0;
    if (phase == Phase.TRAINING && round.cohort.contains(clientId) && !round.submitted.contains(clientId)) {
      inRound = round.id;
      round.withdrawn.add(clientId);
      if (round.secure != null) {
        round.secure.withdraw(clientId);
      }
    }
    LOG.warning(String.format("client %s withdrew from training%s: %s", clientId,
        inRound > 0 ? " (was in round " + inRound + ")" : "", registry.find(clientId).orElseThrow().withdrawnBecause()));
    if (inRound > 0 && round.secure == null && round.complete()) {
      closeRound("all updates received or withdrawn");
    }
    return WithdrawReceipt.newBuilder().setFederationId(config.federationId).setRoundId(inRound).build();
  }

  private void closeRound(String reason) {
    Round closing = round;
    phase = Phase.AGGREGATING;
    List<String> dropped = new ArrayList<>(closing.cohort);
    dropped.removeAll(closing.submitted);
    dropped.removeAll(closing.withdrawn);
    JsonObject entry = new JsonObject()
        .put("round", closing.id)
        .put("modelVersionBefore", closing.modelVersion)
        .put("closedBy", reason)
        .put("cohort", new JsonArray(new ArrayList<>(closing.cohort)))
        .put("participants", new JsonArray(new ArrayList<>(closing.submitted)))
        .put("dropped", new JsonArray(dropped))
        .put("withdrawn", new JsonArray(new ArrayList<>(closing.withdrawn)))
        .put("bytesReceived", closing.bytesReceived)
        .put("meanTrainLoss", closing.totalExamples > 0 ? closing.weightedLossSum / closing.totalExamples : null)
        .put("durationMillis", System.currentTimeMillis() - closing.openedAtMillis);
    if (closing.maxCustomerEpsilon > 0) {
      entry.put("customerEpsilonMax", closing.maxCustomerEpsilon);
    }
    if (closing.submitted.size() < config.minUpdates) {
      consecutiveFailedRounds++;
      entry.put("outcome", "retry").put("modelVersionAfter", closing.modelVersion);
      history.add(entry);
      LOG.warning(String.format("round %d: only %d of %d updates (min-updates %d), dropped %s; retrying",
          closing.id, closing.submitted.size(), closing.cohort.size(), config.minUpdates, dropped));
      round = null;
      if (consecutiveFailedRounds > config.maxRoundRetries) {
        phase = Phase.FAILED;
        failure = "round " + closing.id + " was the " + consecutiveFailedRounds
            + "th attempt in a row without min-updates=" + config.minUpdates + " updates";
        LOG.severe("federation failed: " + failure);
      } else {
        phase = Phase.WAITING_FOR_CLIENTS;
      }
      roundListeners.forEach(listener -> listener.accept(entry));
      return;
    }
    float[] previous = globalModel;
    float[][] optimizerBefore = strategy.state();
    long nextVersion = closing.modelVersion + 1;
    long started = System.nanoTime();
    // Aggregate and checkpoint off the event loop; the new model becomes the global model only once
    // its checkpoint is durable, so a crash can never lose a model that clients have already seen.
    vertx.executeBlocking(() -> {
      // With DP the noisy mean is recorded in the ledger before anything derived from it exists.
      float[] meanDelta;
      if (closing.secure != null) {
        long unmaskStarted = System.nanoTime();
        if (distributedPrivacy != null) {
          // The unmasked sum is already noised; record the round before anything is derived from it.
          distributedPrivacy.record(closing.id);
          entry.put("epsilon", distributedPrivacy.spent().epsilon());
        }
        meanDelta = closing.secure.finish(unmaskingPool);
        entry.put("secureAggregation", closing.secure.stats()
            .put("finishMillis", (System.nanoTime() - unmaskStarted) / 1e6));
      } else if (privacy != null) {
        entry.put("clipNorm", privacy.clipNorm());
        meanDelta = privacy.release(closing.id, closing.accumulator.sum(), closing.cohort.size(), closing.population,
            closing.submitted.size() - closing.clippedUpdates);
      } else {
        meanDelta = closing.accumulator.mean();
      }
      if (privacy != null) {
        entry.put("epsilon", privacy.spent().epsilon()).put("clippedUpdates", closing.clippedUpdates);
      }
      float[] next = strategy.apply(previous, meanDelta);
      int bad = FloatVectors.firstNonFinite(next);
      if (bad >= 0) {
        throw new IllegalStateException("aggregated model has a non-finite value at index " + bad);
      }
      entry.put("outcome", "committed")
          .put("modelVersionAfter", nextVersion)
          .put("aggregationMillis", (System.nanoTime() - started) / 1_000_000);
      return next;
    }).compose(next -> {
      List<JsonObject> withEntry = new ArrayList<>(history);
      withEntry.add(entry);
      return checkpoint(nextVersion, next, withEntry).map(next);
    }).onComplete(ar -> {
      round = null;
      if (ar.failed()) {
        // The previous model stays the global model; the round is retried on the same version.
        strategy.restore(optimizerBefore);
        if (ar.cause() instanceof PrivacyBudgetExceededException budget) {
          entry.put("outcome", "stopped").put("modelVersionAfter", closing.modelVersion);
          history.add(entry);
          stop("privacy budget exhausted: " + budget.getMessage());
          roundListeners.forEach(listener -> listener.accept(entry));
          return;
        }
        LOG.log(java.util.logging.Level.SEVERE, "round " + closing.id + " could not be committed", ar.cause());
        entry.put("outcome", "retry").put("modelVersionAfter", closing.modelVersion)
            .put("error", String.valueOf(ar.cause()));
        history.add(entry);
        phase = Phase.WAITING_FOR_CLIENTS;
        roundListeners.forEach(listener -> listener.accept(entry));
        return;
      }
      history.add(entry);
      globalModel = ar.result();
      modelVersion = nextVersion;
      consecutiveFailedRounds = 0;
      LOG.info(String.format(
          "round %d committed v%d: %d/%d participants, dropped %s, mean loss %s, aggregation %d ms, %.1f MB received%s",
          closing.id, modelVersion, closing.submitted.size(), closing.cohort.size(), dropped,
          entry.getValue("meanTrainLoss") == null ? "-" : String.format("%.4f", entry.getDouble("meanTrainLoss")),
          entry.getLong("aggregationMillis"), closing.bytesReceived / 1e6,
          privacy != null ? String.format(", epsilon %.4f (delta %s), %d/%d updates clipped",
              entry.getDouble("epsilon"), config.privacy.delta, closing.clippedUpdates, closing.submitted.size())
              : distributedPrivacy != null ? String.format(", epsilon %.4f (delta %s, distributed)",
                  entry.getDouble("epsilon"), config.privacy.delta) : ""));
      phase = modelVersion >= config.rounds ? Phase.FINISHED : Phase.WAITING_FOR_CLIENTS;
      if (phase == Phase.FINISHED) {
        LOG.info("federation " + config.federationId + " finished: final model v" + modelVersion);
      }
      roundListeners.forEach(listener -> listener.accept(entry));
    });
  }

  private Future<Void> checkpoint(long version, float[] model, List<JsonObject> historyToSave) {
    if (checkpoints == null) {
      return Future.succeededFuture();
    }
    FederationSnapshot snapshot = new FederationSnapshot(version, lastRoundId, model,
        modelDescription, strategy.state(), new JsonArray(new ArrayList<>(historyToSave)), evaluationsJson());
    return vertx.executeBlocking(() -> {
      checkpoints.save(snapshot);
      return null;
    });
  }

  // ---------------------------------------------------------------- requests

  public RegisterResponse register(RegisterRequest request) {
    checkFederation(request.getFederationId());
    String name = request.getClientName();
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw Rejection.invalid("client name must be 1-64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    if (request.getNumExamples() < 0) {
      throw Rejection.invalid("num_examples must be >= 0, got " + request.getNumExamples());
    }
    byte[] identityKey = request.getIdentityKey().toByteArray();
    if (config.secureAggregation.enabled && identityKey.length != 32) {
      throw Rejection.invalid("this federation uses secure aggregation: identity_key must be a 32-byte Ed25519 "
          + "public key, got " + identityKey.length + " bytes");
    }
    registry.register(name, request.getRegion(), request.getNumExamples(), identityKey, System.currentTimeMillis());
    LOG.info(String.format("client %s registered (region %s, %d examples)", name, request.getRegion(),
        request.getNumExamples()));
    return RegisterResponse.newBuilder()
        .setFederationId(config.federationId)
        .setClientId(name)
        .setCatalogue(catalogueInfo())
        .build();
  }

  public Task task(TaskRequest request) {
    checkFederation(request.getFederationId());
    String clientId = requireRegistered(request.getClientId());
    registry.touch(clientId, System.currentTimeMillis());
    Task.Builder task = Task.newBuilder()
        .setFederationId(config.federationId)
        .setModelVersion(modelVersion)
        .setModelLength(globalModel.length)
        .setConfig(trainingConfig())
        .setCatalogue(catalogueInfo())
        .setPollAfterMillis(500);
    switch (phase) {
      case FINISHED -> {
        return task.setKind(Task.Kind.FINISHED).setRoundId(lastRoundId)
            .setMessage("federation finished with model v" + modelVersion + (failure == null ? "" : " (" + failure + ")"))
            .build();
      }
      case FAILED -> {
        return task.setKind(Task.Kind.FINISHED).setRoundId(lastRoundId)
            .setMessage("federation failed: " + failure).build();
      }
      case TRAINING -> {
        String withdrawn = registry.find(clientId).orElseThrow().withdrawnBecause();
        if (withdrawn != null) {
          return task.setKind(Task.Kind.WAIT).setRoundId(round.id)
              .setMessage("withdrawn from training (" + withdrawn + "); waiting for the final model").build();
        }
        if (round.secure != null && round.cohort.contains(clientId)) {
          SecAggTask secure = round.secure.task(clientId);
          if (secure == null) {
            return task.setKind(Task.Kind.WAIT).setRoundId(round.id)
                .setMessage("dropped from round " + round.id + "'s secure aggregation").build();
          }
          return task.setKind(Task.Kind.TRAIN).setRoundId(round.id).setSecagg(secure)
              .setDeadlineUnixMillis(round.deadlineMillis).build();
        }
        if (round.cohort.contains(clientId) && !round.submitted.contains(clientId)) {
          return task.setKind(Task.Kind.TRAIN).setRoundId(round.id)
              .setDeadlineUnixMillis(round.deadlineMillis).build();
        }
        String why = round.submitted.contains(clientId) ? "update received, waiting for the round to close"
            : "not selected for round " + round.id;
        return task.setKind(Task.Kind.WAIT).setRoundId(round.id).setMessage(why).build();
      }
      default -> {
        int active = registry.active(System.currentTimeMillis()).size();
        return task.setKind(Task.Kind.WAIT).setRoundId(lastRoundId)
            .setMessage(phase == Phase.AGGREGATING ? "aggregating round " + lastRoundId
                : "waiting for " + config.minClients + " active clients, " + active + " now")
            .build();
      }
    }
  }

  /** The current global model, if {@code version} is current. The array is never modified. */
  public float[] model(String federationId, String clientId, long version) {
    checkFederation(federationId);
    requireRegistered(clientId);
    if (version != modelVersion) {
      throw Rejection.stale("model version " + version + " is not current (current is v" + modelVersion + ")");
    }
    return globalModel;
  }

  public long modelVersion() {
    return modelVersion;
  }

  /** The server's SecAgg+ message for a client in the current phase of the open round. */
  public byte[] secAggPayload(String federationId, String clientId, long roundId, SecAggPhase requested) {
    return secureRound(federationId, clientId, roundId).payload(clientId, requested);
  }

  /** A client's SecAgg+ reply; a refused message changes nothing. */
  public void secAggSubmit(String federationId, String clientId, long roundId, SecAggPhase submitted, byte[] message,
      double maskingMillis) {
    secureRound(federationId, clientId, roundId).submit(clientId, submitted, message, maskingMillis);
  }

  private SecureAggregationRound secureRound(String federationId, String clientId, long roundId) {
    checkFederation(federationId);
    requireRegistered(clientId);
    if (!config.secureAggregation.enabled) {
      throw Rejection.stale("this federation does not use secure aggregation; send updates with UploadUpdate");
    }
    if (phase != Phase.TRAINING || round == null || round.secure == null) {
      throw Rejection.stale("no secure aggregation round is open (state " + phase + ")");
    }
    if (roundId != round.id) {
      throw Rejection.stale("message for round " + roundId + ", but the open round is " + round.id);
    }
    return round.secure;
  }

  /** Largest SecAgg+ message a client may send: a masked input of the model plus headroom for keys. */
  public long maxSecAggMessageBytes() {
    return 4L * (globalModel.length + 1) + (1 << 20);
  }

  /** Validates the first chunk of an update stream and opens a staging session for it. */
  public UploadSession beginUpload(UpdateChunk first) {
    if (config.secureAggregation.enabled) {
      throw Rejection.stale("this federation uses secure aggregation: submit the masked update with SecAggSubmit");
    }
    String clientId = checkUpdateTarget(first.getFederationId(), first.getClientId(), first.getRoundId(),
        first.getModelVersion());
    if (round.uploading.contains(clientId)) {
      throw new Rejection(GrpcStatus.ALREADY_EXISTS,
          "client '" + clientId + "' already has an update stream open for round " + round.id);
    }
    if (first.getTotalLength() != globalModel.length) {
      throw Rejection.invalid("update declares " + first.getTotalLength() + " values, the model has "
          + globalModel.length);
    }
    if (!first.hasSummary() || first.getSummary().getNumExamples() <= 0) {
      throw Rejection.invalid("the first chunk must carry a summary with num_examples > 0");
    }
    if (!Double.isFinite(first.getSummary().getMeanTrainLoss())) {
      throw Rejection.invalid("mean_train_loss must be finite, got " + first.getSummary().getMeanTrainLoss());
    }
    if (activeUploads >= config.maxConcurrentUploads) {
      throw new Rejection(GrpcStatus.RESOURCE_EXHAUSTED,
          "too many concurrent uploads (" + activeUploads + "), retry shortly");
    }
    UploadSession session = new UploadSession(first, globalModel.length);
    round.uploading.add(clientId);
    activeUploads++;
    return session;
  }

  /** Validates a complete update and folds it into the round; the round may close as a result. */
  public UploadReceipt finishUpload(UploadSession session) {
    release(session);
    String clientId = checkUpdateTarget(config.federationId, session.clientId, session.roundId, session.modelVersion);
    if (session.received() != globalModel.length) {
      throw Rejection.invalid("update ended after " + session.received() + " of " + globalModel.length + " values");
    }
    int bad = FloatVectors.firstNonFinite(session.staging);
    if (bad >= 0) {
      throw Rejection.invalid("update has a non-finite value (" + session.staging[bad] + ") at index " + bad);
    }
    long examples = session.summary.getNumExamples();
    if (privacy != null) {
      // DP-FedAvg: clip every update here, whatever the client did, and weight clients equally.
      if (privacy.clip(session.staging).clipped()) {
        round.clippedUpdates++;
      }
      round.accumulator.accept(session.staging, 1.0);
    } else {
      round.accumulator.accept(session.staging, examples);
    }
    round.submitted.add(clientId);
    round.weightedLossSum += session.summary.getMeanTrainLoss() * examples;
    round.totalExamples += examples;
    round.bytesReceived += session.bytes();
    round.maxCustomerEpsilon = Math.max(round.maxCustomerEpsilon, session.summary.getCustomerEpsilon());
    if (session.summary.hasGlobalModelMetrics() && session.summary.getGlobalModelMetrics().getNumUsers() > 0) {
      recordEvaluation(round.modelVersion, clientId, session.summary.getGlobalModelMetrics());
    }
    UploadReceipt receipt = UploadReceipt.newBuilder()
        .setFederationId(config.federationId)
        .setRoundId(round.id)
        .setModelVersion(round.modelVersion)
        .setFloatsReceived(session.received())
        .build();
    if (round.complete()) {
      closeRound("all updates received");
    }
    return receipt;
  }

  /** A stream that broke or was refused: forget it, the round is unchanged. */
  public void abandonUpload(UploadSession session) {
    release(session);
  }

  private void release(UploadSession session) {
    if (session.release()) {
      activeUploads--;
      if (round != null && round.id == session.roundId) {
        round.uploading.remove(session.clientId);
      }
    }
  }

  public void report(EvaluationReport report) {
    checkFederation(report.getFederationId());
    String clientId = requireRegistered(report.getClientId());
    Metrics metrics = report.getMetrics();
    if (metrics.getNumUsers() < 0 || !inUnitInterval(metrics.getHitRateAt10())
        || !inUnitInterval(metrics.getNdcgAt10()) || !inUnitInterval(metrics.getMrr())) {
      throw Rejection.invalid("metrics must be in [0, 1] with num_users >= 0, got " + metrics);
    }
    switch (report.getSubject()) {
      case FEDERATED -> {
        if (report.getModelVersion() < 0 || report.getModelVersion() > modelVersion) {
          throw Rejection.invalid("model version " + report.getModelVersion() + " does not exist (current v"
              + modelVersion + ")");
        }
        recordEvaluation(report.getModelVersion(), clientId, metrics);
        if (round != null && report.getRoundId() == round.id && report.getNumExamples() > 0
            && Double.isFinite(report.getMeanTrainLoss()) && round.cohort.contains(clientId)
            && round.lossReported.add(clientId)) {
          round.maxCustomerEpsilon = Math.max(round.maxCustomerEpsilon, report.getCustomerEpsilon());
          round.weightedLossSum += report.getMeanTrainLoss() * report.getNumExamples();
          round.totalExamples += report.getNumExamples();
        }
      }
      case LOCAL_ONLY, POPULARITY, ADAPTED -> baselines
          .computeIfAbsent(report.getSubject().name(), s -> new TreeMap<>())
          .put(clientId, metricsJson(metrics).put("epochs", report.getEpochs()));
      default -> throw Rejection.invalid("evaluation subject is missing");
    }
  }

  private static boolean inUnitInterval(double value) {
    return value >= 0 && value <= 1;
  }

  private void recordEvaluation(long version, String clientId, Metrics metrics) {
    evaluations.computeIfAbsent(version, v -> new TreeMap<>()).put(clientId, metricsJson(metrics));
  }

  private static JsonObject metricsJson(Metrics metrics) {
    return new JsonObject()
        .put("hitRate@10", metrics.getHitRateAt10())
        .put("ndcg@10", metrics.getNdcgAt10())
        .put("mrr", metrics.getMrr())
        .put("users", metrics.getNumUsers());
  }

  // ---------------------------------------------------------------- validation

  /** The quantizer's coordinate range: with distributed DP, room for the noise is part of it. */
  private double secureClipRange() {
    return distributedPrivacy != null ? distributedPrivacy.clipRange() : config.secureAggregation.clipRange;
  }

  /** Ends the federation early (e.g. its privacy budget is spent); clients are told why. */
  private void stop(String reason) {
    round = null;
    phase = Phase.FINISHED;
    failure = reason;
    LOG.warning("federation " + config.federationId + " stopped: " + reason);
  }

  private void checkFederation(String federationId) {
    if (!config.federationId.equals(federationId)) {
      throw Rejection.invalid("unknown federation '" + federationId + "' (this is '" + config.federationId + "')");
    }
  }

  private String requireRegistered(String clientId) {
    if (registry.find(clientId).isEmpty()) {
      throw new Rejection(GrpcStatus.UNAUTHENTICATED,
          "client '" + clientId + "' is not registered in federation '" + config.federationId + "'");
    }
    return clientId;
  }

  private String checkUpdateTarget(String federationId, String clientId, long roundId, long version) {
    checkFederation(federationId);
    requireRegistered(clientId);
    if (phase != Phase.TRAINING || round == null) {
      throw Rejection.stale("no round is open for updates (round " + roundId + " is closed; state "
          + phase + ")");
    }
    if (roundId != round.id) {
      throw Rejection.stale("update for round " + roundId + ", but the open round is " + round.id);
    }
    if (version != round.modelVersion) {
      throw Rejection.stale("update against model v" + version + ", but round " + round.id
          + " trains model v" + round.modelVersion);
    }
    if (!round.cohort.contains(clientId)) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED,
          "client '" + clientId + "' was not selected for round " + round.id);
    }
    if (round.submitted.contains(clientId)) {
      throw new Rejection(GrpcStatus.ALREADY_EXISTS,
          "client '" + clientId + "' already submitted an update for round " + round.id);
    }
    return clientId;
  }

  // ---------------------------------------------------------------- views

  private CatalogueInfo catalogueInfo() {
    return CatalogueInfo.newBuilder().setSha256(catalogue.sha256()).setSize(catalogue.size()).build();
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  private TrainingConfig trainingConfig() {
    CoordinatorConfig.Training training = config.training;
    return TrainingConfig.newBuilder()
        .setLocalEpochs(training.localEpochs)
        .setBatchSize(training.batchSize)
        .setLearningRate(training.learningRate)
        .setSeed(training.seed)
        .setRounds(config.rounds)
        .setClipNorm(privacy == null && distributedPrivacy == null ? 0 : config.privacy.clipNorm)
        .setDistributedNoiseVariance(distributedPrivacy == null ? 0 : distributedPrivacy.perClientVariance())
        .setSecureAggregation(io.interestfl.protocol.v1.SecureAggregationConfig.newBuilder()
            .setEnabled(config.secureAggregation.enabled)
            .setClipRange(secureClipRange())
            .setPrecisionBits(config.secureAggregation.precisionBits)
            .setMaxWeight(config.secureAggregation.maxWeight))
        .setModel(ModelSpec.newBuilder()
            .setArchitecture(training.model.architecture)
            .setHistoryLength(training.model.historyLength)
            .setEmbeddingSize(training.model.embeddingSize)
            .setHiddenSize(training.model.hiddenSize)
            .setContextInputs(training.model.contextInputs))
        .build();
  }

  public Phase phase() {
    return phase;
  }

  public long lastRoundId() {
    return lastRoundId;
  }

  /** The current round's accepted updates (0 when no round is open); for tests and metrics. */
  public int acceptedUpdates() {
    return round == null ? 0 : round.submitted.size();
  }

  public float[] globalModel() {
    return globalModel.clone();
  }

  public JsonObject status() {
    long now = System.currentTimeMillis();
    JsonArray clients = new JsonArray();
    for (ClientRegistry.Client client : registry.all()) {
      clients.add(new JsonObject()
          .put("id", client.id())
          .put("region", client.region())
          .put("examples", client.numExamples())
          .put("active", registry.isActive(client, now))
          .put("withdrawn", client.withdrawnBecause())
          .put("lastSeenMillisAgo", now - client.lastSeenMillis()));
    }
    JsonObject status = new JsonObject()
        .put("federation", config.federationId)
        .put("state", phase.name())
        .put("round", round != null ? round.id : lastRoundId)
        .put("modelVersion", modelVersion)
        .put("rounds", config.rounds)
        .put("modelLength", globalModel.length)
        .put("strategy", strategy.name())
        .put("catalogue", new JsonObject().put("size", catalogue.size()).put("sha256", catalogue.sha256()))
        .put("clients", clients)
        .put("history", new JsonArray(new ArrayList<>(history)))
        .put("evaluations", evaluationsJson());
    if (round != null) {
      status.put("openRound", new JsonObject()
          .put("id", round.id)
          .put("cohort", new JsonArray(new ArrayList<>(round.cohort)))
          .put("submitted", new JsonArray(new ArrayList<>(round.submitted)))
          .put("deadlineInMillis", Math.max(0, round.deadlineMillis - now)));
    }
    if (failure != null) {
      status.put(phase == Phase.FAILED ? "failure" : "stopReason", failure);
    }
    if (privacy != null) {
      status.put("privacy", privacy.status());
    }
    if (distributedPrivacy != null) {
      status.put("privacy", distributedPrivacy.status());
    }
    return status;
  }

  private JsonObject evaluationsJson() {
    JsonObject federated = new JsonObject();
    evaluations.forEach((version, perClient) -> federated.put("v" + version, summarise(perClient)));
    JsonObject json = new JsonObject().put("federated", federated);
    baselines.forEach((subject, perClient) -> json.put(subject.toLowerCase().replace('_', '-'), summarise(perClient)));
    return json;
  }

  /** Per-client metrics plus their user-weighted mean ("overall"). */
  private static JsonObject summarise(Map<String, JsonObject> perClient) {
    double users = 0;
    double hr = 0;
    double ndcg = 0;
    double mrr = 0;
    JsonObject clients = new JsonObject();
    for (Map.Entry<String, JsonObject> entry : perClient.entrySet()) {
      JsonObject m = entry.getValue();
      int n = m.getInteger("users");
      users += n;
      hr += n * m.getDouble("hitRate@10");
      ndcg += n * m.getDouble("ndcg@10");
      mrr += n * m.getDouble("mrr");
      clients.put(entry.getKey(), m);
    }
    JsonObject overall = new JsonObject().put("users", (int) users);
    if (users > 0) {
      overall.put("hitRate@10", hr / users).put("ndcg@10", ndcg / users).put("mrr", mrr / users);
    }
    return new JsonObject().put("overall", overall).put("clients", clients);
  }

  private void restoreEvaluations(JsonObject json) {
    if (json == null) {
      return;
    }
    JsonObject federated = json.getJsonObject("federated", new JsonObject());
    for (String key : federated.fieldNames()) {
      JsonObject clients = federated.getJsonObject(key).getJsonObject("clients", new JsonObject());
      Map<String, JsonObject> perClient = evaluations.computeIfAbsent(Long.parseLong(key.substring(1)), v -> new TreeMap<>());
      clients.forEach(e -> perClient.put(e.getKey(), (JsonObject) e.getValue()));
    }
  }
}
