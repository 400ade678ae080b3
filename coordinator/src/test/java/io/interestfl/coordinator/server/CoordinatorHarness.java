package io.interestfl.coordinator.server;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.round.RoundController;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.ModelFile;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.protocol.v1.UploadReceipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An in-process coordinator on free loopback ports, driven by raw protocol calls (no DL4J). */
final class CoordinatorHarness implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final CoordinatorConfig config;
  final float[] initialModel;
  CoordinatorServer server;
  FederationStub stub;

  CoordinatorHarness(Path directory, int modelLength, java.util.function.Consumer<CoordinatorConfig> customise)
      throws Exception {
    initialModel = new float[modelLength];
    for (int i = 0; i < modelLength; i++) {
      initialModel[i] = (float) Math.sin(i);
    }
    Files.write(directory.resolve("catalogue.txt"), List.of("10002", "10080", "10120", "85123A"));
    new ModelFile(0, "test model", initialModel).write(directory.resolve("initial.bin"));
    config = new CoordinatorConfig();
    config.tls.insecure = true;   // these tests speak raw gRPC to the coordinator; TLS has its own test
    config.maxUpdateNorm = 0;     // the round-maths tests check exact means of large constant updates
    config.federationId = "test-federation";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.minClients = 3;
    config.minUpdates = 2;
    config.rounds = 3;
    config.roundTimeoutSeconds = 30;
    config.baseDirectory(directory);
    customise.accept(config);
    config.validate("test");
    start();
  }

  void start() throws Exception {
    server = new CoordinatorServer(config);
    await(vertx.deployVerticle(server));
    stub = new FederationStub(vertx, SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"), 30);
  }

  void restart() throws Exception {
    stub.close();
    await(vertx.undeploy(server.deploymentID()));
    start();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Reads controller state on the coordinator's own event loop. */
  <T> T onContext(java.util.function.Function<RoundController, T> read) throws Exception {
    return await(server.inspect(read));
  }

  long modelVersion() throws Exception {
    return onContext(r -> r.modelVersion());
  }

  long lastRoundId() throws Exception {
    return onContext(r -> r.lastRoundId());
  }

  float[] globalModel() throws Exception {
    return onContext(r -> r.globalModel());
  }

  io.vertx.core.json.JsonObject status() throws Exception {
    return onContext(r -> r.status());
  }

  RoundController.Phase phase() throws Exception {
    return onContext(r -> r.phase());
  }

  int acceptedUpdates() throws Exception {
    return onContext(r -> r.acceptedUpdates());
  }

  void register(String name, long examples) throws Exception {
    await(stub.register(RegisterRequest.newBuilder().setFederationId(config.federationId)
        .setClientName(name).setRegion("test").setNumExamples(examples).build()));
  }

  Task task(String name) throws Exception {
    return await(stub.getTask(TaskRequest.newBuilder().setFederationId(config.federationId).setClientId(name).build()));
  }

  io.interestfl.protocol.v1.WithdrawReceipt withdraw(String name, String reason) throws Exception {
    return await(stub.withdraw(io.interestfl.protocol.v1.WithdrawRequest.newBuilder()
        .setFederationId(config.federationId).setClientId(name).setReason(reason).build()));
  }

  float[] download(String name, long round, long version) throws Exception {
    List<float[]> parts = new ArrayList<>();
    long[] total = new long[1];
    await(stub.downloadModel(ModelRequest.newBuilder().setFederationId(config.federationId).setClientId(name)
        .setRoundId(round).setModelVersion(version).build(), chunk -> {
          total[0] = chunk.getTotalLength();
          parts.add(FloatVectors.fromBytes(chunk.getData().toByteArray()));
        }));
    float[] model = new float[(int) total[0]];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, model, offset, part.length);
      offset += part.length;
    }
    return model;
  }

  static List<UpdateChunk> chunks(String federation, String client, long round, long version, float[] delta,
      long examples, double loss) {
    return UpdateChunks.of(federation, client, round, version, delta,
        UpdateSummary.newBuilder().setNumExamples(examples).setMeanTrainLoss(loss).build());
  }

  UploadReceipt upload(String client, long round, long version, float[] delta, long examples) throws Exception {
    return await(stub.uploadUpdate(chunks(config.federationId, client, round, version, delta, examples, 1.0).iterator()));
  }

  static float[] constant(int length, float value) {
    float[] v = new float[length];
    java.util.Arrays.fill(v, value);
    return v;
  }

  @Override
  public void close() throws Exception {
    stub.close();
    await(vertx.close());
  }
}
