package io.interestfl.coordinator.round;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.coordinator.catalogue.Catalogue;
import io.interestfl.coordinator.checkpoint.CheckpointStore;
import io.interestfl.coordinator.checkpoint.Checkpointing;
import io.interestfl.coordinator.checkpoint.FederationSnapshot;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.PrivacyGate;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.interestfl.coordinator.secagg.SecureAggregationRound;
import io.interestfl.coordinator.secagg.SecureRounds;
import io.interestfl.privacy.budget.PrivacyBudgetExceededException;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UploadReceipt;
import io.interestfl.protocol.v1.WithdrawReceipt;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.interestfl.secagg.protocol.SecAggException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
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
 * <p>Each step is delegated: the {@link CohortSelector} samples the cohort, the {@link RequestValidator}
 * checks every request, the {@link PrivacyGate} decides whether a round may open and records it in the
 * ledger, the {@link AggregationPipeline} does the maths of the round, {@link SecureRounds} runs the
 * SecAgg+ phases, {@link Checkpointing} makes a commit durable and the {@link EvaluationBook} keeps the
 * clients' metrics.
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
  private final ClientRegistry registry;
  private final RequestValidator requests;
  private final CohortSelector cohorts;
  private final PrivacyGate privacy;
  private final AggregationPipeline pipeline;
  /** The SecAgg+ exchanges, or null without secure aggregation. */
  private final SecureRounds secure;
  private final Checkpointing checkpoints;
  private final EvaluationBook evaluations = new EvaluationBook();
  private final UploadIntake uploads;
  private final ClientRequests clients;
  private final StatusReport statusReport;
  private final List<JsonObject> history = new ArrayList<>();
  private final List<Consumer<JsonObject>> roundListeners = new ArrayList<>();

  private final String modelDescription;
  /** The model version that ends the federation: rounds, plus any release rounds of the privacy mode. */
  private final long finalVersion;
  private float[] globalModel;
  private long modelVersion;
  private long lastRoundId;
  private int consecutiveFailedRounds;
  private Phase phase = Phase.WAITING_FOR_CLIENTS;
  private String failure;
  private Round round;
  private long timerId = -1;

  public RoundController(Vertx vertx, CoordinatorConfig config, Catalogue catalogue, float[] initialModel,
      String modelDescription, CheckpointStore checkpoints) {
    this.vertx = vertx;
    this.config = config;
    AggregationStrategy serverStep = config.strategy();
    this.checkpoints = new Checkpointing(vertx, checkpoints);
    this.registry = new ClientRegistry(config.clientTimeoutSeconds * 1000L);
    this.requests = new RequestValidator(config, registry);
    this.cohorts = new CohortSelector(config);
    this.modelDescription = modelDescription;
    this.privacy = PrivacyGate.of(config, initialModel.length, catalogue.size());
    float[] initialState = privacy.initialState(initialModel);
    this.pipeline = privacy.pipeline(serverStep, config.secureAggregation);
    this.secure = config.secureAggregation.enabled
        ? new SecureRounds(config.secureAggregation, pipeline.quantization()) : null;
    this.uploads = new UploadIntake(config.federationId, requests, evaluations, initialState.length,
        "none".equals(config.privacy.mode));
    this.clients = new ClientRequests(config, catalogue, registry, requests, TrainingPlan.of(config, privacy, pipeline),
        privacy, evaluations, this::view);
    this.statusReport = new StatusReport(config, registry, catalogue, initialState.length, pipeline.serverStep().name(),
        evaluations, privacy);
    this.finalVersion = config.rounds + privacy.releaseRounds();
    this.globalModel = initialState.clone();
    int bad = FloatVectors.firstNonFinite(globalModel);
    if (bad >= 0) {
      throw new IllegalArgumentException("initial model has a non-finite value at index " + bad);
    }
  }

  /** Resumes from the last checkpoint, if any, and starts the round loop. */
  public void start() {
    FederationSnapshot snapshot = checkpoints.resume(globalModel.length);
    if (snapshot != null) {
      globalModel = snapshot.model();
      modelVersion = snapshot.modelVersion();
      lastRoundId = snapshot.lastRoundId();
      pipeline.serverStep().restore(snapshot.optimizerState());
      snapshot.history().forEach(entry -> history.add((JsonObject) entry));
      evaluations.restore(snapshot.evaluations());
      LOG.info(String.format("resumed federation %s from checkpoint: model v%d after round %d",
          config.federationId, modelVersion, lastRoundId));
    }
    long opened = checkpoints.lastOpenedRound();
    if (opened > lastRoundId) {
      LOG.info("round " + opened + " was open when the coordinator stopped: the next attempt is round " + (opened + 1));
      lastRoundId = opened;
    }
    if (modelVersion >= finalVersion) {
      phase = Phase.FINISHED;
    }
    timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (secure != null) {
      secure.close();
    }
    try {
      privacy.close();
    } catch (IOException e) {
      LOG.warning("could not close the privacy ledger: " + e);
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
      String tooFew = registry.tooFewTrainable(config.minClients, config.minUpdates);
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

  private void openRound(List<ClientRegistry.Client> active, long now) {
    CohortSelector.Selection selection = cohorts.select(active);
    List<String> cohort = selection.cohort();
    int population = registry.all().size();
    String refusal = privacy.prepare(registry.customers(), cohort.size());
    if (refusal == null) {
      refusal = privacy.refusal(modelVersion, cohort.size(), population);
    }
    if (refusal != null) {
      stop(refusal);
      return;
    }
    lastRoundId++;
    checkpoints.opened(lastRoundId);
    long deadline = now + config.roundTimeoutSeconds * 1000L;
    // the chain's fixed denominator (central DP) is the most updates the round takes: its goal
    round = new Round(lastRoundId, modelVersion, cohort, selection.goal(), population, now, deadline,
        secure == null ? pipeline.open(globalModel.length, selection.goal()) : null,
        secure == null ? null : secure.open(lastRoundId, cohort,
            id -> registry.find(id).orElseThrow().identityKey(),
            id -> {
              ClientRegistry.Client client = registry.find(id).orElseThrow();
              return new byte[][] {client.certificate(), client.identityKeySignature()};
            }, globalModel, deadline));
    phase = Phase.TRAINING;
    LOG.info(String.format("round %d opened on model v%d: cohort %s (of %d active)%s, deadline %ds",
        round.id, modelVersion, cohort.size() <= 20 ? round.cohort : cohort.size() + " clients", active.size(),
        selection.goal() < cohort.size() ? ", closing at " + selection.goal() + " updates" : "",
        config.roundTimeoutSeconds));
  }

  /** Moves the SecAgg+ exchange on when its phase is complete; closes the round after unmasking input. */
  private void advanceSecureAggregation(long now) {
    SecureAggregationRound exchange = round.secure;
    if (!exchange.phaseComplete(now)) {
      return;
    }
    SecAggPhase closing = exchange.phase();
    try {
      if (exchange.advance(now)) {
        round.submitted.addAll(exchange.survivors());
        closeRound("secure aggregation complete");
      } else {
        LOG.info(String.format("round %d: secure aggregation %s closed, now %s", round.id, closing, exchange.phase()));
      }
    } catch (SecAggException e) {
      // Too few survivors or unrecoverable secrets: nothing is revealed and the round is retried.
      LOG.warning("round " + round.id + ": secure aggregation failed in " + closing + ": " + e.getMessage());
      round.submitted.clear();
      closeRound("secure aggregation failed: " + e.getMessage());
    }
  }

  private void closeRound(String reason) {
    Round closing = round;
    phase = Phase.AGGREGATING;
    List<String> dropped = closing.dropped();
    JsonObject entry = closing.historyEntry(reason, dropped, System.currentTimeMillis());
    if (closing.submitted.size() < config.minUpdates) {
      retry(closing, entry, dropped);
      return;
    }
    float[] previous = globalModel;
    AggregationStrategy serverStep = pipeline.serverStep();
    float[][] optimizerBefore = serverStep.state();
    long nextVersion = closing.modelVersion + 1;
    long started = System.nanoTime();
    // Aggregate and checkpoint off the event loop; the new model becomes the global model only once
    // its checkpoint is durable, so a crash can never lose a model that clients have already seen.
    vertx.executeBlocking(() -> {
      float[] next = privacy.step(pipeline, closing.modelVersion, previous, aggregate(closing, entry),
          closing.submitted.size());
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
      return checkpoints.save(() -> new FederationSnapshot(nextVersion, lastRoundId, next, modelDescription,
          serverStep.state(), new JsonArray(new ArrayList<>(withEntry)), evaluations.json())).map(next);
    }).onComplete(ar -> {
      round = null;
      if (ar.failed()) {
        // The previous model stays the global model; the round is retried on the same version.
        serverStep.restore(optimizerBefore);
        notCommitted(closing, entry, ar.cause());
      } else {
        commit(closing, entry, dropped, ar.result(), nextVersion);
      }
    });
  }

  /**
   * The round's aggregate, on a worker thread: with differential privacy the round is in the ledger
   * before anything derived from its updates exists.
   */
  private float[] aggregate(Round closing, JsonObject entry) {
    long releaseStarted = System.nanoTime();
    privacy.record(closing.id, closing.modelVersion, closing.cohort.size(), closing.population, entry);
    float[] aggregate;
    if (closing.secure != null) {
      aggregate = secure.finish(closing.secure);
      entry.put("secureAggregation", closing.secure.stats()
          .put("finishMillis", (System.nanoTime() - releaseStarted) / 1e6));
    } else {
      aggregate = closing.aggregator.release();
    }
    privacy.released(entry, closing.clippedUpdates());
    return aggregate;
  }

  private void commit(Round closing, JsonObject entry, List<String> dropped, float[] next, long nextVersion) {
    globalModel = next;
    modelVersion = nextVersion;
    consecutiveFailedRounds = 0;
    LOG.info(String.format(
        "round %d committed v%d: %d/%d participants, dropped %s, mean loss %s, aggregation %d ms, %.1f MB received%s",
        closing.id, modelVersion, closing.submitted.size(), closing.cohort.size(), dropped,
        entry.getValue("meanTrainLoss") == null ? "-" : String.format("%.4f", entry.getDouble("meanTrainLoss")),
        entry.getLong("aggregationMillis"), closing.bytesReceived / 1e6,
        privacy.commitNote(entry, closing.clippedUpdates(), closing.submitted.size())));
    phase = modelVersion >= finalVersion ? Phase.FINISHED : Phase.WAITING_FOR_CLIENTS;
    if (phase == Phase.FINISHED) {
      LOG.info("federation " + config.federationId + " finished: final model v" + modelVersion);
    }
    closed(entry);
  }

  /** Aggregation or its checkpoint failed: the federation stops (budget spent) or retries the round. */
  private void notCommitted(Round closing, JsonObject entry, Throwable cause) {
    if (cause instanceof PrivacyBudgetExceededException budget) {
      entry.put("outcome", "stopped").put("modelVersionAfter", closing.modelVersion);
      stop("privacy budget exhausted: " + budget.getMessage());
      closed(entry);
      return;
    }
    LOG.log(Level.SEVERE, "round " + closing.id + " could not be committed", cause);
    entry.put("outcome", "retry").put("modelVersionAfter", closing.modelVersion)
        .put("error", String.valueOf(cause));
    phase = Phase.WAITING_FOR_CLIENTS;
    closed(entry);
  }

  /** Too few updates: the model stays, and the round is retried (the federation fails after max-round-retries). */
  private void retry(Round closing, JsonObject entry, List<String> dropped) {
    consecutiveFailedRounds++;
    entry.put("outcome", "retry").put("modelVersionAfter", closing.modelVersion);
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
    closed(entry);
  }

  /** A closed round's entry joins the history, and the listeners hear of it. */
  private void closed(JsonObject entry) {
    history.add(entry);
    roundListeners.forEach(listener -> listener.accept(entry));
  }

  /** Ends the federation early (e.g. its privacy budget is spent); clients are told why. */
  private void stop(String reason) {
    round = null;
    phase = Phase.FINISHED;
    failure = reason;
    LOG.warning("federation " + config.federationId + " stopped: " + reason);
  }

  // ---------------------------------------------------------------- requests

  /**
   * A client says it will not train again (e.g. its customers' privacy budget is spent). The round it
   * is in stops waiting for it; it is never sampled again but still gets the final model.
   */
  public WithdrawReceipt withdraw(WithdrawRequest request) {
    String clientId = requests.registered(request.getFederationId(), request.getClientId());
    requests.withdrawalReason(request.getReason());
    boolean already = registry.find(clientId).orElseThrow().withdrawnBecause() != null;
    registry.withdraw(clientId, request.getReason());
    long inRound = phase == Phase.TRAINING && round.withdraw(clientId) ? round.id : 0;
    // said once: repeating a withdrawal changes nothing and is not logged again
    LOG.log(already && inRound == 0 ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING, String.format("client %s withdrew from training%s: %s", clientId,
        inRound > 0 ? " (was in round " + inRound + ")" : "", registry.find(clientId).orElseThrow().withdrawnBecause()));
    if (inRound > 0 && round.secure == null && round.complete()) {
      closeRound("all updates received or withdrawn");
    }
    return WithdrawReceipt.newBuilder().setFederationId(config.federationId).setRoundId(inRound).build();
  }

  /**
   * Every connection of an authenticated node closed and it did not come back within the grace period. A cohort
   * member that is inside the SecAgg+ exchange (it answered ADVERTISE_KEYS; from then on it polls every 200 ms) is
   * gone: the exchange stops waiting for it, as for any dropout, instead of waiting for the phase deadline. It stays
   * registered. A node that is still training (not yet advertised) is left to the round's deadline: its client may
   * close an idle connection while it trains.
   */
  public void connectionLost(String clientId) {
    if (phase != Phase.TRAINING || round == null || round.secure == null) {
      return;
    }
    io.interestfl.protocol.v1.SecAggTask step = round.secure.task(clientId);
    if (step == null || (step.getPhase() == SecAggPhase.ADVERTISE_KEYS && !step.getSubmitted())) {
      return;
    }
    round.secure.withdraw(clientId);
    LOG.warning(String.format("round %d: %s lost its connection during secure aggregation (%s): dropped from the "
        + "exchange, its masks are recovered from its neighbours' shares", round.id, clientId, step.getPhase()));
  }

  /** Validates the first chunk of an update stream and opens a staging session for it. */
  public UploadSession beginUpload(UpdateChunk first) {
    return uploads.begin(phase, round, first);
  }

  /** Validates a complete update and folds it into the round; the round may close as a result. */
  public UploadReceipt finishUpload(UploadSession session) {
    UploadReceipt receipt = uploads.finish(phase, round, session);
    if (round.complete()) {
      closeRound(round.closedAtGoal() ? "goal of " + round.goal + " updates reached (over-selection)"
          : "all updates received");
    }
    return receipt;
  }

  /** A stream that broke or was refused: forget it, the round is unchanged. */
  public void abandonUpload(UploadSession session) {
    uploads.release(round, session);
  }

  // ---------------------------------------------------------------- views

  /** The client requests that read this loop's state (registration, tasks, models, reports, SecAgg+). */
  public ClientRequests clients() {
    return clients;
  }

  public Phase phase() {
    return phase;
  }

  public long lastRoundId() {
    return lastRoundId;
  }

  public long modelVersion() {
    return modelVersion;
  }

  /** Registered client nodes (for the metrics). */
  public int registeredClients() {
    return registry.all().size();
  }

  /** The current round's accepted updates (0 when no round is open); for tests and metrics. */
  public int acceptedUpdates() {
    return round == null ? 0 : round.submitted.size();
  }

  public float[] globalModel() {
    return globalModel.clone();
  }

  public JsonObject status() {
    return statusReport.status(view(), history);
  }

  private RoundView view() {
    return new RoundView(phase, round, globalModel, modelVersion, lastRoundId, failure);
  }
}
