package io.interestfl.coordinator.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.aggregation.ControlVariates;
import io.interestfl.protocol.v1.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCAFFOLD through the coordinator: the federation's vector is [model | c], nodes send [delta | c_i], and a round
 * commits [model + mean delta | mean c_i]; c is checkpointed with the model and survives a restart.
 */
class DriftCorrectionRoundTest {
  private static final int P = 1000;

  @Test
  void aRoundStepsTheModelHalfAndKeepsTheMeanGradient(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, P, c -> {
      c.training.driftCorrection = true;
      c.checkpointDir = "checkpoints";
    })) {
      h.register("a", 10);
      h.register("b", 30);
      h.register("c", 60);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      Task task = h.task("a");
      assertTrue(task.getConfig().getDriftCorrection(), "nodes are told to correct");
      assertEquals(2 * P, task.getModelLength(), "[model | c]");
      float[] start = h.download("a", 1, 0);
      assertArrayEquals(h.initialModel, ControlVariates.model(start));
      assertArrayEquals(new float[P], ControlVariates.federationGradient(start), "c = 0 before a first round");

      ExecutionException modelOnly = assertThrows(ExecutionException.class,
          () -> h.upload("a", 1, 0, new float[P], 10));
      assertTrue(modelOnly.getCause().getMessage().contains(String.valueOf(2 * P)), modelOnly.getCause().getMessage());

      h.upload("a", 1, 0, ControlVariates.upload(CoordinatorHarness.constant(P, 1f), CoordinatorHarness.constant(P, 4f)), 10);
      h.upload("b", 1, 0, ControlVariates.upload(CoordinatorHarness.constant(P, 2f), CoordinatorHarness.constant(P, 0f)), 30);
      h.upload("c", 1, 0, ControlVariates.upload(CoordinatorHarness.constant(P, -1f), CoordinatorHarness.constant(P, -1f)), 60);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();
      for (int i = 0; i < P; i++) {
        assertEquals(h.initialModel[i] + (10.0 * 1 + 30.0 * 2 + 60.0 * -1) / 100.0, committed[i], 1e-6, "model " + i);
        assertEquals((10.0 * 4 + 30.0 * 0 + 60.0 * -1) / 100.0, committed[P + i], 1e-6, "c " + i);
      }
      assertEquals("fedavg+scaffold", h.status().getString("strategy"));

      h.restart();
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      assertArrayEquals(committed, h.globalModel(), "c is checkpointed with the model");
    }
  }

  /**
   * training.sparse-rows: nodes are told (so that they leave the rows their data never reaches as received), and
   * each coordinate of both halves is the weighted mean over the nodes whose upload changed it.
   */
  @Test
  void sparseRowsAverageEachCoordinateOverTheNodesThatChangedIt(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, P, c -> {
      c.training.driftCorrection = true;
      c.training.sparseRows = true;
    })) {
      h.register("a", 10);
      h.register("b", 30);
      h.register("c", 60);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      assertTrue(h.task("a").getConfig().getSparseRows(), "nodes are told the mean is sparse");
      float[] bDelta = CoordinatorHarness.constant(P, 2f);
      float[] bGradient = CoordinatorHarness.constant(P, 3f);
      bDelta[0] = 0f;       // b never touched row 0
      bGradient[0] = 0f;
      h.upload("a", 1, 0, ControlVariates.upload(CoordinatorHarness.constant(P, 1f), CoordinatorHarness.constant(P, 4f)), 10);
      h.upload("b", 1, 0, ControlVariates.upload(bDelta, bGradient), 30);
      h.upload("c", 1, 0, ControlVariates.upload(CoordinatorHarness.constant(P, -1f), CoordinatorHarness.constant(P, -1f)), 60);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();
      assertEquals(h.initialModel[0] + (10.0 * 1 + 60.0 * -1) / 70.0, committed[0], 1e-6, "row 0 over a and c only");
      assertEquals((10.0 * 4 + 60.0 * -1) / 70.0, committed[P], 1e-6, "its c over a and c only");
      assertEquals(h.initialModel[1] + (10.0 * 1 + 30.0 * 2 + 60.0 * -1) / 100.0, committed[1], 1e-6, "dense: all three");
    }
  }
}
