package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.interestfl.coordinator.round.RoundController.Phase;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.SecAggChunks;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.SecAggFetchRequest;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.SecAggRoundStart;
import io.interestfl.protocol.v1.Task;
import io.interestfl.secagg.crypto.Ed25519Identity;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport side of secure aggregation refuses what does not belong to the current phase. */
class SecureAggregationEndpointTest {

  @Test
  void phasesAreEnforcedAndPlainUpdatesAreRefused(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 1000, c -> c.secureAggregation.enabled = true)) {
      // Registration without an identity key is refused.
      RpcException noKey = rpcFailure(() -> CoordinatorHarness.await(h.stub.register(RegisterRequest.newBuilder()
          .setFederationId("test-federation").setClientName("a").setNumExamples(1).build())));
      assertEquals(GrpcStatus.INVALID_ARGUMENT, noKey.status());
      assertTrue(noKey.getMessage().contains("identity_key"), noKey.getMessage());

      SecureRandom random = new SecureRandom();
      for (String name : new String[] {"a", "b", "c"}) {
        CoordinatorHarness.await(h.stub.register(RegisterRequest.newBuilder().setFederationId("test-federation")
            .setClientName(name).setNumExamples(10)
            .setIdentityKey(ByteString.copyFrom(Ed25519Identity.generate(random).publicKey())).build()));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == Phase.TRAINING);
      Task task = h.task("a");
      assertEquals(Task.Kind.TRAIN, task.getKind());
      assertEquals(SecAggPhase.ADVERTISE_KEYS, task.getSecagg().getPhase());
      assertTrue(task.getConfig().getSecureAggregation().getEnabled());

      // The round start carries every cohort member's identity key.
      byte[] start = CoordinatorHarness.await(h.stub.secAggFetch(fetch("a", task.getRoundId(), SecAggPhase.ADVERTISE_KEYS)));
      assertEquals(3, SecAggRoundStart.parseFrom(start).getIdentityKeysCount());

      // A plain update never reaches a secure round.
      RpcException plain = rpcFailure(() -> h.upload("a", task.getRoundId(), 0, constant(1000, 1f), 10));
      assertEquals(GrpcStatus.FAILED_PRECONDITION, plain.status());
      // Asking for a later phase's message is refused, as is garbage in the current phase.
      RpcException early = rpcFailure(() -> CoordinatorHarness.await(
          h.stub.secAggFetch(fetch("a", task.getRoundId(), SecAggPhase.SHARE_KEYS))));
      assertEquals(GrpcStatus.FAILED_PRECONDITION, early.status());
      RpcException garbage = rpcFailure(() -> CoordinatorHarness.await(h.stub.secAggSubmit(SecAggChunks.of(
          "test-federation", "a", task.getRoundId(), SecAggPhase.ADVERTISE_KEYS, new byte[] {1, 2, 3, 4, 5}).iterator())));
      assertEquals(GrpcStatus.INVALID_ARGUMENT, garbage.status());
      assertTrue(garbage.getMessage().contains("malformed"), garbage.getMessage());
      assertEquals(false, h.task("a").getSecagg().getSubmitted());
      // A stale round id is refused.
      RpcException stale = rpcFailure(() -> CoordinatorHarness.await(
          h.stub.secAggFetch(fetch("a", task.getRoundId() + 7, SecAggPhase.ADVERTISE_KEYS))));
      assertEquals(GrpcStatus.FAILED_PRECONDITION, stale.status());
    }
  }

  private static SecAggFetchRequest fetch(String client, long round, SecAggPhase phase) {
    return SecAggFetchRequest.newBuilder().setFederationId("test-federation").setClientId(client).setRoundId(round)
        .setPhase(phase).build();
  }

  interface Call {
    void run() throws Exception;
  }

  private static RpcException rpcFailure(Call call) {
    ExecutionException e = assertThrows(ExecutionException.class, call::run);
    return (RpcException) e.getCause();
  }
}
