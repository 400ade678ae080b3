package io.interestfl.coordinator.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Where a federation resumes from and how a committed round becomes durable: through the
 * {@link CheckpointStore}, its I/O on a worker thread. Without a checkpoint directory there is
 * nothing to resume and saving does nothing.
 */
public final class Checkpointing {
  private final Vertx vertx;
  private final CheckpointStore store;

  /** @param store null: no checkpoints */
  public Checkpointing(Vertx vertx, CheckpointStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** The last checkpoint, or null; refuses one whose model does not have {@code modelLength} values. */
  public FederationSnapshot resume(int modelLength) {
    FederationSnapshot snapshot = store == null ? null : store.load();
    if (snapshot != null && snapshot.model().length != modelLength) {
      throw new IllegalStateException("checkpoint model has " + snapshot.model().length
          + " values but the configured federation's vector has " + modelLength
          + " (the initial model, with training.drift-correction its mean gradient beside it, with customer-level DP "
          + "the released statistics): resume with the configuration the checkpoint was written under");
    }
    return snapshot;
  }

  /**
   * The highest round id ever opened (0 when none was recorded): round ids grow on every attempt, across
   * restarts, so a message for an interrupted attempt can never be mistaken for its retry.
   */
  public long lastOpenedRound() {
    return store == null ? 0 : store.lastOpenedRound();
  }

  /** Records durably (before the round is announced) that round {@code roundId} was opened. */
  public void opened(long roundId) {
    if (store != null) {
      store.opened(roundId);
    }
  }

  /** Takes the snapshot here and saves it off the event loop (takes nothing without a store). */
  public Future<Void> save(Supplier<FederationSnapshot> snapshotNow) {
    if (store == null) {
      return Future.succeededFuture();
    }
    FederationSnapshot snapshot = snapshotNow.get();
    return vertx.executeBlocking(() -> {
      store.save(snapshot);
      return null;
    });
  }
}
