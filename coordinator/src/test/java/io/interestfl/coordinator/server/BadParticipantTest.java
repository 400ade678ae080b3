package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.interestfl.protocol.v1.Task;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's authenticated poisoner: a node that declares 1e15 examples and sends +1000 per weight. The
 * registration is refused, an update weighing more than the node registered is refused, and an oversized update
 * moves the model by at most max-update-norm.
 */
class BadParticipantTest {
  static final int LENGTH = 10_000;

  @Test
  void inflatedWeightsAreRefusedAndAHugeUpdateIsBoundedByTheNormCap(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, LENGTH, c -> {
      c.minClients = 2;
      c.minUpdates = 2;
      c.maxUpdateNorm = 10;
    })) {
      Throwable inflated = assertThrows(Exception.class, () -> h.register("eve", 1_000_000_000_000_000L));
      assertTrue(String.valueOf(cause(inflated).getMessage()).contains("max-examples-per-client"), inflated.toString());
      h.register("eve", 100);
      h.register("honest", 100);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("eve").getKind() == Task.Kind.TRAIN);

      Throwable overweight = assertThrows(Exception.class, () -> h.upload("eve", 1, 0, constant(LENGTH, 1000f), 1_000_000));
      assertEquals(GrpcStatus.INVALID_ARGUMENT, ((RpcException) cause(overweight)).status(), overweight.toString());
      assertTrue(cause(overweight).getMessage().contains("more than the 100 this node registered with"));
      assertEquals(0, h.acceptedUpdates(), "nothing refused reached the round");

      h.upload("eve", 1, 0, constant(LENGTH, 1000f), 100);
      h.upload("honest", 1, 0, constant(LENGTH, 0f), 100);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();
      double moved = 0;
      for (int i = 0; i < LENGTH; i++) {
        double d = committed[i] - h.initialModel[i];
        moved += d * d;
      }
      // eve's update clipped to norm 10, half the weight: the model moved by 5, not by 1000 * sqrt(10^4) / 2
      assertEquals(5.0, Math.sqrt(moved), 1e-3);
    }
  }

  @Test
  void underTheCoordinateWiseMedianAPoisonerWithinTheNormCapCannotMoveTheModelBeyondTheHonestUpdates(
      @TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, LENGTH, c -> {
      c.minClients = 4;
      c.minUpdates = 4;
      c.robustAggregation.method = "median";
    })) {
      for (String name : new String[] {"eve", "a", "b", "c"}) {
        h.register(name, name.equals("eve") ? 10_000_000 : 100);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.task("eve").getKind() == Task.Kind.TRAIN);
      // eve stays within max-update-norm (1000) and declares every example it may: a mean would move by ~10
      h.upload("eve", 1, 0, constant(LENGTH, 10f), 10_000_000);
      h.upload("a", 1, 0, constant(LENGTH, 0.01f), 100);
      h.upload("b", 1, 0, constant(LENGTH, 0.02f), 100);
      h.upload("c", 1, 0, constant(LENGTH, 0.03f), 100);
      await().atMost(Duration.ofSeconds(60)).until(() -> h.modelVersion() == 1);
      float[] committed = h.globalModel();

      // issue 15's eve also claimed HR@10 0.998 for a million users: the claim is shown as hers, the median over
      // nodes stays among the honest ones, and no claimed figure changes the model
      String[] names = {"a", "b", "c", "eve"};
      double[] ndcg = {0.10, 0.12, 0.14, 0.998};
      for (int n = 0; n < names.length; n++) {
        h.await(h.stub.reportEvaluation(EvaluationReport.newBuilder().setFederationId(h.config.federationId)
            .setClientId(names[n]).setSubject(EvaluationReport.Subject.FEDERATED).setModelVersion(1)
            .setMetrics(Metrics.newBuilder().setNdcgAt10(ndcg[n]).setHitRateAt10(ndcg[n]).setMrr(ndcg[n])
                .setNumUsers(n == 3 ? 1_000_000 : 100))
            .build()));
      }
      io.vertx.core.json.JsonObject evaluations = h.status().getJsonObject("evaluations");
      assertTrue(evaluations.getString("source").startsWith("claimed by each node"), evaluations.encode());
      io.vertx.core.json.JsonObject v1 = evaluations.getJsonObject("federated").getJsonObject("v1");
      assertEquals(0.998, v1.getJsonObject("clients").getJsonObject("eve").getDouble("ndcg@10"), 1e-12);
      assertEquals(0.13, v1.getJsonObject("median").getDouble("ndcg@10"), 1e-12);
      assertEquals(4, v1.getJsonObject("median").getInteger("nodes"));
      assertTrue(java.util.Arrays.equals(committed, h.globalModel()), "a claim never changes the model");

      for (int i = 0; i < LENGTH; i++) {
        // the median of {0.01, 0.02, 0.03, 10} is 0.025, inside the honest range
        assertEquals(0.025, committed[i] - h.initialModel[i], 1e-5, "coordinate " + i);
      }
    }
  }

  private static Throwable cause(Throwable t) {
    return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
  }
}
