package io.interestfl.coordinator.round;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.PrivacyGate;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.SecAggTask;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TrainingConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a polling client should do now, from the round loop's state: train (or take its SecAgg+ step),
 * wait and why, or stop because the federation finished or failed. Every task carries the current
 * model version, the training settings and the catalogue it must use, and when to poll again ({@link #pollAfterMillis}:
 * pace steering).
 */
final class TaskPlanner {
  private final CoordinatorConfig config;
  private final ClientRegistry registry;
  private final TrainingConfig training;
  private final PrivacyGate privacy;
  private final CatalogueInfo catalogue;

  TaskPlanner(CoordinatorConfig config, ClientRegistry registry, TrainingConfig training, PrivacyGate privacy,
      CatalogueInfo catalogue) {
    this.config = config;
    this.registry = registry;
    this.training = training;
    this.privacy = privacy;
    this.catalogue = catalogue;
  }

  Task task(RoundView state, String clientId) {
    Task.Builder task = Task.newBuilder()
        .setFederationId(config.federationId)
        .setModelVersion(state.modelVersion())
        .setModelLength(state.model().length)
        .setConfig(training)
        .setCatalogue(catalogue)
        .setPollAfterMillis(config.pace.minPollMillis);
    Round open = state.round();
    privacy.describe(task, state.modelVersion(), open != null ? open.cohort.size() : 0);
    String failure = state.failure();
    switch (state.phase()) {
      case FINISHED -> {
        return task.setKind(Task.Kind.FINISHED).setRoundId(state.lastRoundId())
            .setMessage("federation finished with model v" + state.modelVersion()
                + (failure == null ? "" : " (" + failure + ")"))
            .build();
      }
      case FAILED -> {
        return task.setKind(Task.Kind.FINISHED).setRoundId(state.lastRoundId())
            .setMessage("federation failed: " + failure).build();
      }
      case TRAINING -> {
        return trainingTask(task, state.round(), clientId);
      }
      default -> {
        int active = registry.active(System.currentTimeMillis()).size();
        return task.setKind(Task.Kind.WAIT).setRoundId(state.lastRoundId()).setPollAfterMillis(pollAfterMillis())
            .setMessage(state.phase() == RoundController.Phase.AGGREGATING ? "aggregating round " + state.lastRoundId()
                : "waiting for " + config.minClients + " active clients, " + active + " now")
            .build();
      }
    }
  }

  /** While a round trains: train (or the SecAgg+ step to take), or wait, and why. */
  private Task trainingTask(Task.Builder task, Round round, String clientId) {
    String withdrawn = registry.find(clientId).orElseThrow().withdrawnBecause();
    if (withdrawn != null) {
      return task.setKind(Task.Kind.WAIT).setRoundId(round.id).setPollAfterMillis(pollAfterMillis())
          .setMessage("withdrawn from training (" + withdrawn + "); waiting for the final model").build();
    }
    if (round.secure != null && round.cohort.contains(clientId)) {
      SecAggTask step = round.secure.task(clientId);
      if (step == null) {
        return task.setKind(Task.Kind.WAIT).setRoundId(round.id).setPollAfterMillis(pollAfterMillis())
            .setMessage("dropped from round " + round.id + "'s secure aggregation").build();
      }
      return task.setKind(Task.Kind.TRAIN).setRoundId(round.id).setSecagg(step)
          .setDeadlineUnixMillis(round.deadlineMillis).build();
    }
    if (round.cohort.contains(clientId) && !round.submitted.contains(clientId)) {
      return task.setKind(Task.Kind.TRAIN).setRoundId(round.id)
          .setDeadlineUnixMillis(round.deadlineMillis).build();
    }
    String why = round.submitted.contains(clientId) ? "update received, waiting for the round to close"
        : "not selected for round " + round.id;
    long untilDeadline = Math.max(config.pace.minPollMillis, round.deadlineMillis - System.currentTimeMillis());
    return task.setKind(Task.Kind.WAIT).setRoundId(round.id).setMessage(why)
        .setPollAfterMillis((int) Math.min(pollAfterMillis(), untilDeadline)).build();
  }

  /**
   * Pace steering: when a waiting client should poll again so that every registered client together polls about
   * {@code pace.target-polls-per-second}; uniformly jittered by +-50% (arrivals spread out instead of synchronising)
   * and bounded by {@code pace.min-poll-millis} and {@code pace.max-poll-millis}.
   */
  int pollAfterMillis() {
    return Pacing.pollAfterMillis(registry.all().size(), config.pace, ThreadLocalRandom.current().nextDouble(),
        config.clientTimeoutSeconds);
  }
}
