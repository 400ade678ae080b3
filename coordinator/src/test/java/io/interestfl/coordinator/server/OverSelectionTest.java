package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.Task;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over-selection and pace steering (Bonawitz et al. 2019) through the coordinator's gRPC endpoint. */
class OverSelectionTest {
  private static final int LENGTH = 100;

  /**
   * Goal 2, over-selection 1.5: three of five clients are asked, the round closes at the second update (the mean of
   * those two), the straggler's update is refused as not needed, and a client not asked is told when to come back.
   */
  @Test
  void theRoundClosesAtItsGoalAndTheStragglerIsTurnedAway(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, LENGTH, c -> {
      c.minClients = 5;
      c.cohortSize = 2;
      c.minUpdates = 2;
      c.overSelection = 1.5;
      c.roundTimeoutSeconds = 60;
    })) {
      List<String> names = List.of("a", "b", "c", "d", "e");
      for (String n : names) {
        h.register(n, 10);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> h.phase()
          == io.interestfl.coordinator.round.RoundController.Phase.TRAINING);
      List<String> asked = new ArrayList<>();
      List<String> notAsked = new ArrayList<>();
      for (String n : names) {
        (h.task(n).getKind() == Task.Kind.TRAIN ? asked : notAsked).add(n);
      }
      assertEquals(3, asked.size(), "ceil(1.5 x 2) clients asked: " + asked);
      Task waiting = h.task(notAsked.get(0));
      assertEquals(Task.Kind.WAIT, waiting.getKind());
      assertTrue(waiting.getPollAfterMillis() >= 500, "poll after " + waiting.getPollAfterMillis());
      h.upload(asked.get(0), 1, 0, constant(LENGTH, 1f), 10);
      h.upload(asked.get(1), 1, 0, constant(LENGTH, 3f), 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> h.modelVersion() == 1);
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> h.upload(asked.get(2), 1, 0, constant(LENGTH, 100f), 10));
      assertTrue(refused.getCause() instanceof RpcException
          && refused.getCause().getMessage().contains("not needed"), refused.getCause().getMessage());
      JsonObject round = h.status().getJsonArray("history").getJsonObject(0);
      assertEquals(3, round.getJsonArray("cohort").size());
      assertEquals(2, round.getInteger("goal"));
      assertEquals(2, round.getJsonArray("participants").size());
      assertEquals(0, round.getJsonArray("dropped").size(), "a straggler is not a dropout");
      assertEquals(List.of(asked.get(2)), round.getJsonArray("notNeeded").getList());
      assertTrue(round.getString("closedBy").contains("goal of 2 updates"), round.getString("closedBy"));
      // the committed model is the two updates' mean: the straggler's 100 never counted
      assertEquals(h.initialModel[7] + 2f, h.globalModel()[7], 1e-6);
    }
  }

  /** A client timeout long enough not to bound the delays below. */
  private static final int UNBOUNDED = 24 * 3600;

  @Test
  void aHundredThousandClientsAreSpreadOverTheTargetRate() {
    io.interestfl.coordinator.config.CoordinatorConfig.Pace pace =
        new io.interestfl.coordinator.config.CoordinatorConfig.Pace();
    // 100,000 clients at 200 polls/s: each comes back after 500 s on average, jittered by +-50%, under the 600 s cap
    assertEquals(250_000, io.interestfl.coordinator.round.Pacing.pollAfterMillis(100_000, pace, 0.0, UNBOUNDED));
    assertEquals(500_000, io.interestfl.coordinator.round.Pacing.pollAfterMillis(100_000, pace, 0.5, UNBOUNDED));
    assertEquals(600_000, io.interestfl.coordinator.round.Pacing.pollAfterMillis(100_000, pace, 0.99, UNBOUNDED));
    // never beyond half the active window: a client polling less often would count as inactive
    assertEquals(30_000, io.interestfl.coordinator.round.Pacing.pollAfterMillis(100_000, pace, 0.5, 60));
    // a handful of clients poll at the floor
    assertEquals(500, io.interestfl.coordinator.round.Pacing.pollAfterMillis(5, pace, 0.5, UNBOUNDED));
    // the mean rate over the jitter is the target: n / E[delay] = 200 per second
    double meanDelay = 0;
    for (int i = 0; i < 1000; i++) {
      meanDelay += io.interestfl.coordinator.round.Pacing.pollAfterMillis(50_000, pace, (i + 0.5) / 1000, UNBOUNDED) / 1000.0;
    }
    assertEquals(200, 50_000 / (meanDelay / 1000), 1);
  }
}
