package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.coordinator.round.RoundController.Phase;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.v1.Task;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundLifecycleTest {
  // More than three chunks: the model never travels in one gRPC message.
  static final int LENGTH = 3 * FederationStub.CHUNK_FLOATS + 17;

  @Test
  void committedModelIsTheExampleWeightedMeanOfTheUpdatesAppliedToThePreviousModel(@TempDir Path dir)
      throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, LENGTH, c -> c.checkpointDir = "checkpoints")) {
      h.register("a", 10);
      h.register("b", 30);
      h.register("c", 60);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      Task task = h.task("a");
      assertEquals(1, task.getRoundId());
      assertEquals(0, task.getModelVersion());
      assertEquals(LENGTH, task.getModelLength());
      assertArrayEquals(h.initialModel, h.download("a", 1, 0), "the downloaded model is the initial model");

      float[] da = constant(LENGTH, 1f);
      float[] db = constant(LENGTH, 2f);
      float[] dc = constant(LENGTH, -1f);
      da[5] = 7f;
      h.upload("a", 1, 0, da, 10);
      h.upload("b", 1, 0, db, 30);
      h.upload("c", 1, 0, dc, 60);

      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();
      for (int i = 0; i < LENGTH; i++) {
        double mean = (10.0 * da[i] + 30.0 * db[i] + 60.0 * dc[i]) / 100.0;
        assertEquals(h.initialModel[i] + mean, committed[i], 1e-6, "coordinate " + i);
      }
      JsonObject status = h.status();
      JsonObject round = status.getJsonArray("history").getJsonObject(0);
      assertEquals("committed", round.getString("outcome"));
      assertEquals(3, round.getJsonArray("participants").size());
      assertTrue(round.getLong("bytesReceived") > 3L * LENGTH * 4);

      // Round 2 trains the committed model.
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("b").getKind() == Task.Kind.TRAIN);
      assertEquals(1, h.task("b").getModelVersion());
      assertArrayEquals(committed, h.download("b", 2, 1));
    }
  }

  @Test
  void aClientThatVanishesDoesNotStallTheRound(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 1000, c -> c.roundTimeoutSeconds = 2)) {
      h.register("a", 10);
      h.register("b", 10);
      h.register("gone", 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      h.task("gone");
      h.upload("a", 1, 0, constant(1000, 1f), 10);
      h.upload("b", 1, 0, constant(1000, 3f), 10);
      // "gone" never uploads: the deadline closes the round with the two updates (min-updates 2).
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      JsonObject round = h.status().getJsonArray("history").getJsonObject(0);
      assertEquals("deadline", round.getString("closedBy"));
      assertEquals("[\"gone\"]", round.getJsonArray("dropped").encode());
      assertEquals(h.initialModel[0] + 2f, h.globalModel()[0], 1e-6);
    }
  }

  @Test
  void aClientKilledMidUploadIsDroppedAndTheOthersComplete(@TempDir Path dir) throws Exception {
    int length = 4 * FederationStub.CHUNK_FLOATS;
    try (CoordinatorHarness h = new CoordinatorHarness(dir, length, c -> c.roundTimeoutSeconds = 3)) {
      h.register("a", 10);
      h.register("b", 10);
      h.register("killed", 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      CoordinatorHarness.await(h.stub.uploadAndAbandon(
          CoordinatorHarness.chunks("test-federation", "killed", 1, 0, constant(length, 100f), 10, 1).iterator(), 2));
      h.upload("a", 1, 0, constant(length, 1f), 10);
      h.upload("b", 1, 0, constant(length, 3f), 10);
      await().atMost(Duration.ofSeconds(15)).until(() -> h.modelVersion() == 1);
      float[] model = h.globalModel();
      assertEquals(h.initialModel[7] + 2f, model[7], 1e-6, "the half-sent update left no trace");
    }
  }

  @Test
  void tooFewUpdatesRetryTheRoundOnTheSameModelWithANewRoundId(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 100, c -> {
      c.roundTimeoutSeconds = 1;
      c.minUpdates = 3;
    })) {
      h.register("a", 10);
      h.register("b", 10);
      h.register("c", 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      h.upload("a", 1, 0, constant(100, 1f), 10);
      // Only one of three: round 1 is retried as round 2 on model v0.
      await().atMost(Duration.ofSeconds(60)).until(() -> h.lastRoundId() == 2
          && h.phase() == Phase.TRAINING);
      assertEquals(0L, h.modelVersion());
      Task retry = h.task("a");
      assertEquals(Task.Kind.TRAIN, retry.getKind());
      assertEquals(2, retry.getRoundId());
      assertEquals(0, retry.getModelVersion());
      for (String client : new String[] {"a", "b", "c"}) {
        h.upload(client, 2, 0, constant(100, 1f), 10);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      assertEquals("retry", h.status().getJsonArray("history").getJsonObject(0).getString("outcome"));
    }
  }

  @Test
  void aRestartedCoordinatorResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 500, c -> {
      c.checkpointDir = "checkpoints";
      c.strategy.name = "fedadam";
      c.strategy.serverLearningRate = 0.1;
    })) {
      for (String client : new String[] {"a", "b", "c"}) {
        h.register(client, 10);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      for (String client : new String[] {"a", "b", "c"}) {
        h.upload(client, 1, 0, constant(500, 0.5f), 10);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();
      // round 2 opens on v1 and is interrupted by the restart
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getRoundId() == 2);

      h.restart();
      assertEquals(1L, h.modelVersion());
      assertEquals(2L, h.lastRoundId(), "the interrupted attempt's id is never reused");
      assertArrayEquals(committed, h.globalModel());
      assertEquals(1, h.status().getJsonArray("history").size());
      // Clients re-register after a restart and the next attempt is round 3 on model v1.
      for (String client : new String[] {"a", "b", "c"}) {
        h.register(client, 10);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      assertEquals(3, h.task("a").getRoundId());
      assertEquals(1, h.task("a").getModelVersion());
    }
  }

  @Test
  void aWithdrawnClientClosesItsRoundAtOnceIsNeverSampledAgainAndStopsTheFederationWhenTooFewAreLeft(
      @TempDir Path dir) throws Exception {
    // A one-hour deadline: anything that waited for the withdrawn client would time the test out.
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 100, c -> {
      c.roundTimeoutSeconds = 3600;
      c.minClients = 2;
      c.minUpdates = 2;
      c.rounds = 5;
    })) {
      h.register("a", 10);
      h.register("b", 10);
      h.register("out-of-budget", 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      assertEquals(Task.Kind.TRAIN, h.task("out-of-budget").getKind());
      h.upload("a", 1, 0, constant(100, 1f), 10);
      h.upload("b", 1, 0, constant(100, 3f), 10);
      assertEquals(0, h.modelVersion(), "the round still waits for the third cohort member");
      assertEquals(1, h.withdraw("out-of-budget", "customer-level privacy budget spent").getRoundId());

      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      JsonObject round = h.status().getJsonArray("history").getJsonObject(0);
      assertEquals("all updates received or withdrawn", round.getString("closedBy"));
      assertEquals("[\"out-of-budget\"]", round.getJsonArray("withdrawn").encode());
      assertEquals("[]", round.getJsonArray("dropped").encode());
      assertEquals(h.initialModel[0] + 2f, h.globalModel()[0], 1e-6, "the mean of the two updates");

      // Round 2 samples only the two that still train; the withdrawn client is told to wait.
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      assertEquals(Task.Kind.WAIT, h.task("out-of-budget").getKind());
      assertTrue(h.task("out-of-budget").getMessage().contains("privacy budget spent"));
      assertEquals("[\"a\",\"b\"]", new io.vertx.core.json.JsonArray(
          h.status().getJsonObject("openRound").getJsonArray("cohort").stream().sorted().toList()).encode());

      // One more withdrawal leaves one client for min-updates 2: the federation stops and says why.
      h.withdraw("b", "merchant left");
      h.upload("a", 2, 1, constant(100, 1f), 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == Phase.FINISHED);
      JsonObject status = h.status();
      assertEquals("retry", status.getJsonArray("history").getJsonObject(1).getString("outcome"));
      assertTrue(status.getString("stopReason").contains("only 1 client(s) can still train"), status.encode());
      assertTrue(status.getString("stopReason").contains("b: merchant left"), status.encode());
      assertEquals(Task.Kind.FINISHED, h.task("out-of-budget").getKind());
      assertEquals(1, h.modelVersion(), "nothing was committed from the one update of round 2");
    }
  }
}
