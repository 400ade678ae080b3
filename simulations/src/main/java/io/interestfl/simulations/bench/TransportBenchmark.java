package io.interestfl.simulations.bench;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.ModelFile;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.security.FederationCa;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl bench transport}: one real round through the coordinator on loopback gRPC: N
 * clients download an M-float model and upload an M-float delta (chunked, validated, folded into
 * the streaming accumulator), then the round is aggregated and checkpointed. Reported against the
 * cost of merely encoding and decoding the same bytes as little-endian float32 in memory, measured
 * in the same run, and (by default) in plaintext and under mutual TLS one after the other, so that the cost of
 * the transport security every deployment runs with is a ratio within one process.
 */
@Command(name = "transport", mixinStandardHelpOptions = true,
    description = "Measure one federated round's download, upload and aggregation through the coordinator.")
public final class TransportBenchmark implements Callable<Integer> {
  @Option(names = "--clients", defaultValue = "10", description = "client nodes (default: ${DEFAULT-VALUE})") int clients;
  @Option(names = "--length", defaultValue = "1000000", description = "model length in floats (default: ${DEFAULT-VALUE})") int length;
  @Option(names = "--repeat", defaultValue = "3", description = "rounds measured after one warm-up round (default: ${DEFAULT-VALUE})") int repeat;
  @Option(names = "--json", description = JsonOutput.HELP) boolean json;

  @Option(names = "--transport", defaultValue = "both", description = "plaintext, mtls, or both in one run "
      + "(mutual TLS over a throw-away CA, each client with its own certificate and connection; default: ${DEFAULT-VALUE})")
  String transport;

  /** One transport's mean times per round. */
  record Times(double download, double upload, double round) { }

  @Override
  public Integer call() throws Exception {
    if (!java.util.Set.of("plaintext", "mtls", "both").contains(transport)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--transport must be plaintext, mtls or both, got '" + transport + "'");
    }
    try (JsonOutput output = JsonOutput.open(json)) {
      return measure(output);
    }
  }

  private Integer measure(JsonOutput output) throws Exception {
    float[] delta = new float[length];
    for (int i = 0; i < length; i++) {
      delta[i] = (float) Math.sin(i) * 1e-3f;
    }
    double megabytes = (double) clients * length * Float.BYTES / 1e6;
    double codecSeconds = codecBaseline(delta, clients);
    JsonObject result = new JsonObject().put("clients", clients).put("length", length)
        .put("megabytesPerDirection", megabytes).put("codecBaselineSeconds", codecSeconds);
    if (!json) {
      System.out.printf(Locale.ROOT, "clients %d, model %,d floats (%.1f MB per direction per round); in-memory "
          + "float32 encode+decode of the same bytes: %.3f s%n", clients, length, megabytes, codecSeconds);
    }
    Times plain = null;
    for (boolean tls : transport.equals("both") ? new boolean[] {false, true} : new boolean[] {transport.equals("mtls")}) {
      Times t = run(tls, delta);
      String name = tls ? "mtls" : "plaintext";
      result.put(name, new JsonObject().put("downloadSeconds", t.download()).put("uploadSeconds", t.upload())
          .put("roundSeconds", t.round()).put("uploadMegabytesPerSecond", megabytes / t.upload())
          .put("downloadMegabytesPerSecond", megabytes / t.download()).put("uploadVsCodec", t.upload() / codecSeconds));
      if (!json) {
        System.out.printf(Locale.ROOT, "  %-9s download %.3f s (%.0f MB/s), upload+validate+accumulate %.3f s (%.0f MB/s), "
            + "whole round %.3f s; upload %.1fx the codec%n", name, t.download(), megabytes / t.download(), t.upload(),
            megabytes / t.upload(), t.round(), t.upload() / codecSeconds);
      }
      if (!tls) {
        plain = t;
      } else if (plain != null) {
        result.put("mtlsOverPlaintext", new JsonObject().put("download", t.download() / plain.download())
            .put("upload", t.upload() / plain.upload()).put("round", t.round() / plain.round()));
        if (!json) {
          System.out.printf(Locale.ROOT, "  mutual TLS costs %.2fx the plaintext round (download %.2fx, upload %.2fx)%n",
              t.round() / plain.round(), t.download() / plain.download(), t.upload() / plain.upload());
        }
      }
    }
    if (json) {
      output.document().println(result.encodePrettily());
    }
    return 0;
  }

  /** {@code repeat} rounds after a warm-up through a fresh coordinator; each client has its own stub (connection). */
  private Times run(boolean tls, float[] delta) throws Exception {
    Path dir = Files.createTempDirectory("interestfl-bench");
    Files.writeString(dir.resolve("catalogue.txt"), "10002\n");
    new ModelFile(0, "bench", new float[length]).write(dir.resolve("model.bin"));
    CoordinatorConfig config = new CoordinatorConfig();
    config.federationId = "bench";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.rounds = repeat + 1;
    config.minClients = clients;
    config.minUpdates = clients;
    config.maxConcurrentUploads = clients;
    config.catalogue = "catalogue.txt";
    config.initialModel = "model.bin";
    config.checkpointDir = "checkpoints";
    config.maxUpdateNorm = 0;
    FederationCa ca = null;
    if (tls) {
      ca = FederationCa.create(dir.resolve("pki"), "bench", java.time.Duration.ofDays(1));
      ca.issueKit("coordinator", FederationCa.Role.COORDINATOR, List.of("localhost", "127.0.0.1"),
          java.time.Duration.ofDays(1), dir.resolve("pki/coordinator"));
      config.tls.caCert = "pki/ca.crt";
      config.tls.cert = "pki/coordinator/coordinator.crt";
      config.tls.key = "pki/coordinator/coordinator.key";
    } else {
      config.tls.insecure = true;
      java.util.logging.Logger.getLogger(CoordinatorServer.class.getName()).setLevel(java.util.logging.Level.SEVERE);
    }
    config.baseDirectory(dir).validate("bench");
    Vertx vertx = Vertx.vertx();
    CoordinatorServer server = new CoordinatorServer(config);
    vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
    SocketAddress address = SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1");
    List<FederationStub> stubs = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        HttpClientOptions http = null;
        if (tls) {
          Path kit = dir.resolve("pki/c" + c);
          ca.issueKit("c" + c, FederationCa.Role.NODE, List.of(), java.time.Duration.ofDays(1), kit);
          http = FederationStub.mutualTls(kit.resolve("c" + c + ".crt"), kit.resolve("c" + c + ".key"),
              dir.resolve("pki/ca.crt"));
        }
        stubs.add(new FederationStub(vertx, address, 300, http));
        stubs.get(c).register(RegisterRequest.newBuilder().setFederationId("bench").setClientName("c" + c)
            .setNumExamples(1).build()).await(30, TimeUnit.SECONDS);
      }
      double downloadSeconds = 0;
      double uploadSeconds = 0;
      double roundSeconds = 0;
      for (int round = 0; round <= repeat; round++) {
        long version = round;
        while (task(stubs.get(0), "c0").getKind() != Task.Kind.TRAIN) {
          Thread.sleep(20);
        }
        long roundId = task(stubs.get(0), "c0").getRoundId();
        long t0 = System.nanoTime();
        List<Future<Void>> downloads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          downloads.add(stubs.get(c).downloadModel(ModelRequest.newBuilder().setFederationId("bench")
              .setClientId("c" + c).setRoundId(roundId).setModelVersion(version).build(), chunk -> { }));
        }
        Future.all(downloads).await(300, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        List<Future<?>> uploads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          uploads.add(stubs.get(c).uploadUpdate(UpdateChunks.of("bench", "c" + c, roundId, version, delta,
              UpdateSummary.newBuilder().setNumExamples(1).build()).iterator()));
        }
        Future.all(new ArrayList<>(uploads)).await(300, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        while (server.inspect(r -> r.modelVersion()).await(10, TimeUnit.SECONDS) <= version) {
          Thread.sleep(1);
        }
        long t3 = System.nanoTime();
        if (round > 0) {
          downloadSeconds += (t1 - t0) / 1e9;
          uploadSeconds += (t2 - t1) / 1e9;
          roundSeconds += (t3 - t0) / 1e9;
        }
      }
      return new Times(downloadSeconds / repeat, uploadSeconds / repeat, roundSeconds / repeat);
    } finally {
      stubs.forEach(FederationStub::close);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static Task task(FederationStub stub, String client) throws Exception {
    return stub.getTask(TaskRequest.newBuilder().setFederationId("bench").setClientId(client).build())
        .await(30, TimeUnit.SECONDS);
  }

  /** The floor: encoding every client's update to float32 bytes and decoding it back, in memory. */
  private static double codecBaseline(float[] delta, int clients) {
    float[] target = new float[delta.length];
    double best = Double.MAX_VALUE;
    for (int attempt = 0; attempt < 3; attempt++) {
      long t0 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        for (int offset = 0; offset < delta.length; offset += FederationStub.CHUNK_FLOATS) {
          int n = Math.min(FederationStub.CHUNK_FLOATS, delta.length - offset);
          FloatVectors.decodeInto(ByteBuffer.wrap(FloatVectors.toBytes(delta, offset, n)), target, offset);
        }
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }
}
