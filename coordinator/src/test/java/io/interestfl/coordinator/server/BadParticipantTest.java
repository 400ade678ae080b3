package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.RpcException;
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

  private static Throwable cause(Throwable t) {
    return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
  }
}
