package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.chunks;
import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.FederationGrpcClient;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.UpdateChunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refused update gets a clear status and message, and leaves the round exactly as it was:
 * same round, same model version, same accepted updates, same global model.
 */
class UpdateRejectionTest {
  static final int LENGTH = 40_000;
  CoordinatorHarness h;
  String selected;
  String unselected;

  @BeforeEach
  void openRound(@TempDir Path dir) throws Exception {
    h = new CoordinatorHarness(dir, LENGTH, c -> {
      c.cohortSize = 2;
      c.minUpdates = 2;
    });
    h.register("a", 10);
    h.register("b", 10);
    h.register("c", 10);
    await().atMost(Duration.ofSeconds(60)).until(() -> h.phase() == io.interestfl.coordinator.round.RoundController.Phase.TRAINING);
    List<String> cohort = h.status().getJsonObject("openRound").getJsonArray("cohort").getList();
    selected = cohort.get(0);
    unselected = List.of("a", "b", "c").stream().filter(c -> !cohort.contains(c)).findFirst().orElseThrow();
    assertEquals(Task.Kind.TRAIN, h.task(selected).getKind());
    assertEquals(Task.Kind.WAIT, h.task(unselected).getKind());
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private void assertRefusedAndUnchanged(GrpcStatus status, String messagePart, List<UpdateChunk> update)
      throws Exception {
    long round = h.lastRoundId();
    long version = h.modelVersion();
    int accepted = h.acceptedUpdates();
    float[] model = h.globalModel();
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> CoordinatorHarness.await(h.stub.uploadUpdate(update.iterator())));
    RpcException rpc = (RpcException) error.getCause();
    assertEquals(status, rpc.status(), rpc.getMessage());
    assertTrue(rpc.getMessage().contains(messagePart), "message '" + rpc.getMessage() + "' should mention '" + messagePart + "'");
    assertEquals(round, h.lastRoundId());
    assertEquals(version, h.modelVersion());
    assertEquals(accepted, h.acceptedUpdates());
    assertEquals(io.interestfl.coordinator.round.RoundController.Phase.TRAINING, h.phase());
    assertArrayEquals(model, h.globalModel());
  }

  private List<UpdateChunk> update(String client, long round, long version, float[] delta) {
    return chunks(h.config.federationId, client, round, version, delta, 10, 1.0);
  }

  @Test
  void wrongLength() throws Exception {
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "40000", update(selected, 1, 0, constant(LENGTH - 1, 1f)));
  }

  @Test
  void notANumberOrInfinite() throws Exception {
    float[] nan = constant(LENGTH, 1f);
    nan[LENGTH - 3] = Float.NaN;
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "index " + (LENGTH - 3), update(selected, 1, 0, nan));
    float[] inf = constant(LENGTH, 1f);
    inf[0] = Float.POSITIVE_INFINITY;
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "non-finite", update(selected, 1, 0, inf));
  }

  @Test
  void staleRoundOrModelVersion() throws Exception {
    assertRefusedAndUnchanged(GrpcStatus.FAILED_PRECONDITION, "open round is 1", update(selected, 0, 0, constant(LENGTH, 1f)));
    assertRefusedAndUnchanged(GrpcStatus.FAILED_PRECONDITION, "model v0", update(selected, 1, 3, constant(LENGTH, 1f)));
  }

  @Test
  void unregisteredClient() throws Exception {
    assertRefusedAndUnchanged(GrpcStatus.UNAUTHENTICATED, "not registered", update("mallory", 1, 0, constant(LENGTH, 1f)));
  }

  @Test
  void unselectedClient() throws Exception {
    assertRefusedAndUnchanged(GrpcStatus.PERMISSION_DENIED, "not selected", update(unselected, 1, 0, constant(LENGTH, 1f)));
  }

  @Test
  void secondUpdateFromTheSameClient() throws Exception {
    h.upload(selected, 1, 0, constant(LENGTH, 1f), 10);
    assertEquals(1, h.acceptedUpdates());
    assertRefusedAndUnchanged(GrpcStatus.ALREADY_EXISTS, "already submitted", update(selected, 1, 0, constant(LENGTH, 5f)));
  }

  @Test
  void wrongFederationAndMissingSummary() throws Exception {
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "unknown federation",
        chunks("other-federation", selected, 1, 0, constant(LENGTH, 1f), 10, 1.0));
    List<UpdateChunk> noSummary = update(selected, 1, 0, constant(LENGTH, 1f)).stream()
        .map(c -> c.toBuilder().clearSummary().build()).toList();
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "summary", noSummary);
  }

  @Test
  void chunksOutOfOrder() throws Exception {
    List<UpdateChunk> chunks = new java.util.ArrayList<>(update(selected, 1, 0, constant(LENGTH, 1f)));
    java.util.Collections.swap(chunks, 0, 1);
    chunks.set(0, chunks.get(0).toBuilder().setSummary(chunks.get(1).getSummary()).build());
    assertRefusedAndUnchanged(GrpcStatus.INVALID_ARGUMENT, "offset", chunks);
  }

  @Test
  void malformedProtobufGetsInvalidArgumentAndTheCoordinatorKeepsServing() throws Exception {
    GrpcClient raw = GrpcClient.client(h.vertx);
    try {
      GrpcClientResponse<Buffer, Buffer> response = CoordinatorHarness.await(
          raw.request(SocketAddress.inetSocketAddress(h.server.grpcPort(), "127.0.0.1"))
              .compose(request -> {
                request.fullMethodName("interestfl.v1.Federation/UploadUpdate");
                // Field 7 (bytes) declaring 1000 bytes of payload with only 3 present: not a protobuf.
                request.end(Buffer.buffer(new byte[] {0x3a, (byte) 0xe8, 0x07, 1, 2, 3}));
                return request.response();
              }));
      CoordinatorHarness.await(response.end().recover(e -> io.vertx.core.Future.succeededFuture()));
      assertEquals(GrpcStatus.INVALID_ARGUMENT, response.status());
      assertTrue(response.statusMessage().contains("malformed"), response.statusMessage());
    } finally {
      raw.close();
    }
    assertEquals(0, h.acceptedUpdates());
    // Still serving: a valid update is accepted.
    h.upload(selected, 1, 0, constant(LENGTH, 1f), 10);
    assertEquals(1, h.acceptedUpdates());
  }
}
