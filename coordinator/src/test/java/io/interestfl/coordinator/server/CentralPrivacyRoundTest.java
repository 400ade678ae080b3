package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.coordinator.round.RoundController.Phase;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.protocol.v1.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DP-FedAvg with central noise: clipping, noise of the configured size, a ledger, and a hard stop. */
class CentralPrivacyRoundTest {
  static final int LENGTH = 200_000;
  static final double CLIP = 0.5;
  static final double Z = 1.2;

  @Test
  void epsilonGrowsPerRoundTheNoiseHasTheConfiguredSizeAndTheBudgetStopsTraining(@TempDir Path dir) throws Exception {
    // Budget for exactly two rounds at q = 3/4: the third would exceed it.
    double twoRounds = RdpAccountant.epsilon(0.75, Z, 2, 1e-5, EpsilonConversion.IMPROVED).epsilon();
    double threeRounds = RdpAccountant.epsilon(0.75, Z, 3, 1e-5, EpsilonConversion.IMPROVED).epsilon();
    try (CoordinatorHarness h = new CoordinatorHarness(dir, LENGTH, c -> {
      c.rounds = 10;
      c.cohortSize = 3;
      c.minUpdates = 3;
      c.privacy.mode = "central";
      c.privacy.clipNorm = CLIP;
      c.privacy.noiseMultiplier = Z;
      c.privacy.epsilon = (twoRounds + threeRounds) / 2;
      c.privacy.delta = 1e-5;
      c.privacy.ledger = "ledger.txt";
    })) {
      for (String client : new String[] {"a", "b", "c", "d"}) {
        h.register(client, 10);
      }
      float[] before = h.globalModel();
      // Each update has norm 10 * sqrt(LENGTH) * 1e-3 >> CLIP: every one is clipped to CLIP.
      runRound(h, 1, 0.01f);
      float[] after = h.globalModel();
      // Expected mean of the clipped updates: each coordinate CLIP / sqrt(LENGTH); the rest is noise
      // with stddev Z * CLIP / cohort.
      double signal = CLIP / Math.sqrt(LENGTH);
      double sum = 0;
      double sumSquares = 0;
      for (int i = 0; i < LENGTH; i++) {
        double noise = after[i] - before[i] - signal;
        sum += noise;
        sumSquares += noise * noise;
      }
      double mean = sum / LENGTH;
      double std = Math.sqrt(sumSquares / LENGTH - mean * mean);
      double expected = Z * CLIP / 3;
      assertEquals(expected, std, expected * 0.01, "noise stddev");
      assertEquals(0, mean, 5 * expected / Math.sqrt(LENGTH), "noise mean");

      runRound(h, 2, 0.01f);
      JsonArray history = h.status().getJsonArray("history");
      double epsilon1 = history.getJsonObject(0).getDouble("epsilon");
      double epsilon2 = history.getJsonObject(1).getDouble("epsilon");
      assertEquals(RdpAccountant.epsilon(0.75, Z, 1, 1e-5, EpsilonConversion.IMPROVED).epsilon(), epsilon1, 1e-9);
      assertEquals(twoRounds, epsilon2, 1e-9);
      assertEquals(3, history.getJsonObject(0).getInteger("clippedUpdates"));

      // The third round would exceed the budget: it never opens, and the clients are told why.
      await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == Phase.FINISHED);
      JsonObject status = h.status();
      assertEquals(2L, status.getLong("modelVersion"));
      assertTrue(status.getString("stopReason").contains("privacy budget"), status.encode());
      assertEquals(twoRounds, status.getJsonObject("privacy").getDouble("epsilon"), 1e-9);
      Task task = h.task("a");
      assertEquals(Task.Kind.FINISHED, task.getKind());
      assertTrue(task.getMessage().contains("privacy budget"), task.getMessage());
      assertEquals(2, Files.readAllLines(dir.resolve("ledger.txt")).stream().filter(l -> l.contains("round=")).count());

      // The ledger survives a restart: the federation stays stopped.
      h.restart();
      await().atMost(Duration.ofSeconds(60)).until(() -> h.status().getJsonObject("privacy") != null);
      assertEquals(twoRounds, h.status().getJsonObject("privacy").getDouble("epsilon"), 1e-9);
    }
  }

  @Test
  void adaptiveClippingRaisesTheClipNormWhenEveryUpdateIsClipped(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 1000, c -> {
      c.rounds = 3;
      c.cohortSize = 3;
      c.minUpdates = 3;
      c.privacy.mode = "central";
      c.privacy.clipNorm = 0.01;
      c.privacy.noiseMultiplier = Z;
      c.privacy.epsilon = 1e6;
      c.privacy.ledger = "ledger.txt";
      c.privacy.adaptiveClipping.enabled = true;
      // 2 sigma_b > z, as the budget split requires; with a 0.95 target, the noisy unclipped fraction
      // (0 + N(0, 0.7^2)) / 3 exceeds the target with probability ~2e-5, so C grows every round.
      c.privacy.adaptiveClipping.countNoiseStddev = 0.7;
      c.privacy.adaptiveClipping.targetQuantile = 0.95;
    })) {
      for (String client : new String[] {"a", "b", "c", "d"}) {
        h.register(client, 10);
      }
      JsonObject privacy = h.status().getJsonObject("privacy");
      assertTrue(privacy.getBoolean("adaptiveClipping"));
      // Part of the budget pays for the noisy count: the update noise is larger than z.
      assertTrue(privacy.getDouble("updateNoiseMultiplier") > Z, privacy.encode());
      double before = privacy.getDouble("clipNorm");
      float[] big = constant(1000, 1f); // norm 31.6, far above every clip norm here
      for (long version = 1; version <= 2; version++) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == Phase.TRAINING);
        JsonArray cohort = h.status().getJsonObject("openRound").getJsonArray("cohort");
        long round = h.status().getJsonObject("openRound").getLong("id");
        for (Object client : cohort) {
          h.upload((String) client, round, version - 1, big, 10);
        }
        long expected = version;
        await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == expected);
      }
      JsonArray history = h.status().getJsonArray("history");
      double first = history.getJsonObject(0).getDouble("clipNorm");
      double second = history.getJsonObject(1).getDouble("clipNorm");
      double after = h.status().getJsonObject("privacy").getDouble("clipNorm");
      assertEquals(before, first, 1e-12);
      // b is ~0 (nothing unclipped) against a target of 0.95: C grows by about exp(0.19) per round.
      assertTrue(second > first && after > second, first + " -> " + second + " -> " + after);
    }
  }

  private static void runRound(CoordinatorHarness h, long version, float value) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == Phase.TRAINING);
    JsonArray cohort = h.status().getJsonObject("openRound").getJsonArray("cohort");
    long round = h.status().getJsonObject("openRound").getLong("id");
    for (Object client : cohort) {
      h.upload((String) client, round, version - 1, constant(LENGTH, value), 10);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == version);
  }
}
