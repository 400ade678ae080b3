package io.interestfl.simulations.bench;

import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.ModelFile;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.security.BearerToken;
import io.interestfl.security.FederationCa;
import io.interestfl.security.Pem;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl bench load}: a coordinator (its own JVM, as deployed) and thousands of lightweight clients in
 * this JVM over real gRPC on loopback, mutual TLS by default, each client with its own certificate and connection:
 * every client registers, then each round downloads the model and uploads a delta; the coordinator folds every
 * update into its streaming aggregate and commits. Reports rounds per hour, upload latency percentiles, the
 * coordinator's heap (polled from its {@code /status}) and whether every update sent was accepted.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load-test the coordinator with many lightweight clients over gRPC on loopback: rounds/hour, "
        + "p99 upload latency, coordinator heap, nothing dropped.")
public final class LoadBenchmark implements Callable<Integer> {
  @Option(names = "--clients", defaultValue = "1000", description = "clients, all in every round (default: ${DEFAULT-VALUE})")
  int clients;
  @Option(names = "--length", defaultValue = "100000", description = "model length in floats (default: ${DEFAULT-VALUE})")
  int length;
  @Option(names = "--rounds", defaultValue = "2", description = "rounds measured after one warm-up round (default: ${DEFAULT-VALUE})")
  int rounds;
  @Option(names = "--in-flight", defaultValue = "64",
      description = "clients downloading or uploading at once (the coordinator's max-concurrent-uploads) "
          + "(default: ${DEFAULT-VALUE})")
  int inFlight;
  @Option(names = "--transport", defaultValue = "mtls",
      description = "mtls (each client its own certificate) or plaintext (default: ${DEFAULT-VALUE})")
  String transport;
  @Option(names = "--coordinator-heap", defaultValue = "2g",
      description = "-Xmx of the coordinator JVM (default: ${DEFAULT-VALUE})")
  String coordinatorHeap;
  @Option(names = "--timeout-minutes", defaultValue = "30",
      description = "the whole run's bound (default: ${DEFAULT-VALUE})")
  int timeoutMinutes;
  @Option(names = "--json", description = JsonOutput.HELP)
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!transport.equals("mtls") && !transport.equals("plaintext")) {
      throw new IllegalArgumentException("--transport must be mtls or plaintext, got '" + transport + "'");
    }
    if (clients < 1 || length < 1 || rounds < 1 || inFlight < 1) {
      throw new IllegalArgumentException("--clients, --length, --rounds and --in-flight must be >= 1");
    }
    try (JsonOutput output = JsonOutput.open(json)) {
      JsonObject result = run(output.progress());
      if (json) {
        output.document().println(result.encodePrettily());
      }
      return 0;
    }
  }

  private JsonObject run(PrintStream progress) throws Exception {
    boolean tls = transport.equals("mtls");
    Path dir = Files.createTempDirectory("interestfl-load");
    Files.writeString(dir.resolve("catalogue.txt"), "10002\n");
    new ModelFile(0, "load", new float[length]).write(dir.resolve("model.bin"));
    int grpcPort = freePort();
    int adminPort = freePort();
    long t0 = System.nanoTime();
    FederationCa ca = null;
    if (tls) {
      ca = FederationCa.create(dir.resolve("pki"), "load", Duration.ofDays(1));
      ca.issueKit("coordinator", FederationCa.Role.COORDINATOR, List.of("localhost", "127.0.0.1"), Duration.ofDays(1),
          dir.resolve("pki/coordinator"));
    }
    BearerToken token = BearerToken.loadOrCreate(dir.resolve("admin-token"), "admin-token-file");
    Files.writeString(dir.resolve("coordinator.yaml"), String.join("\n",
        "federation-id: load", "grpc-port: " + grpcPort, "admin-port: " + adminPort, "rounds: " + (rounds + 1),
        "min-clients: " + clients, "min-updates: " + clients, "cohort-fraction: 1.0",
        "round-timeout-seconds: " + timeoutMinutes * 60, "client-timeout-seconds: " + timeoutMinutes * 60,
        "max-concurrent-uploads: " + inFlight, "max-update-norm: 0", "catalogue: catalogue.txt",
        "initial-model: model.bin", "checkpoint-dir: checkpoints", "tls:",
        tls ? "  ca-cert: pki/ca.crt\n  cert: pki/coordinator/coordinator.crt\n  key: pki/coordinator/coordinator.key"
            : "  insecure: true", ""));
    Process coordinator = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + coordinatorHeap, "-cp", System.getProperty("java.class.path"),
        "io.interestfl.coordinator.CoordinatorCommand", "--config", dir.resolve("coordinator.yaml").toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("coordinator.log").toFile()).start();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    List<FederationStub> stubs = new ArrayList<>(clients);
    HeapWatch heap = null;
    try {
      HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
          .sslContext(tls ? Pem.trusting(dir.resolve("pki/ca.crt")) : javax.net.ssl.SSLContext.getDefault()).build();
      URI statusUri = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + adminPort + "/status");
      heap = new HeapWatch(admin, HttpRequest.newBuilder(statusUri).header("Authorization", "Bearer " + token.value())
          .timeout(Duration.ofSeconds(20)).build(), coordinator);
      heap.awaitUp(Duration.ofSeconds(60));
      SocketAddress address = SocketAddress.inetSocketAddress(grpcPort, "127.0.0.1");
      for (int c = 0; c < clients; c++) {
        HttpClientOptions http = null;
        if (tls) {
          Path kit = dir.resolve("pki/c" + c);
          ca.issueKit("c" + c, FederationCa.Role.NODE, List.of(), Duration.ofDays(1), kit);
          http = FederationStub.mutualTls(kit.resolve("c" + c + ".crt"), kit.resolve("c" + c + ".key"),
              dir.resolve("pki/ca.crt"));
        }
        stubs.add(new FederationStub(vertx, address, 600, http));
      }
      double kitsSeconds = (System.nanoTime() - t0) / 1e9;
      long r0 = System.nanoTime();
      forEachBounded(c -> stubs.get(c).register(RegisterRequest.newBuilder().setFederationId("load")
          .setClientName("c" + c).setNumExamples(1).build()).mapEmpty());
      double registerSeconds = (System.nanoTime() - r0) / 1e9;
      progress.printf(Locale.ROOT, "%d clients registered over %s in %.1f s (identities made in %.1f s)%n", clients,
          transport, registerSeconds, kitsSeconds);
      float[] delta = new float[length];
      for (int i = 0; i < length; i++) {
        delta[i] = (float) Math.sin(i) * 1e-3f;
      }
      JsonArray measured = new JsonArray();
      heap.start();
      for (int round = 0; round <= rounds; round++) {
        long version = round;
        Task task = awaitTrain(stubs.get(0));
        long roundId = task.getRoundId();
        heap.resetPeak();
        ConcurrentLinkedQueue<Long> uploadNanos = new ConcurrentLinkedQueue<>();
        AtomicInteger retries = new AtomicInteger();
        long start = System.nanoTime();
        forEachBounded(c -> stubs.get(c).downloadModel(ModelRequest.newBuilder().setFederationId("load")
                .setClientId("c" + c).setRoundId(roundId).setModelVersion(version).build(), chunk -> { })
            .compose(v -> upload(vertx, stubs.get(c), c, roundId, version, delta, uploadNanos, retries, 5)));
        long uploaded = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
        while (heap.modelVersion() <= version) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("round " + roundId + " did not commit within " + timeoutMinutes
                + " minutes");
          }
          Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonObject entry = null;
        for (Object o : heap.lastStatus().getJsonArray("history")) {
          if (((JsonObject) o).getLong("round") == roundId) {
            entry = (JsonObject) o;
          }
        }
        if (entry == null) {
          throw new IllegalStateException("round " + roundId + " is not in the coordinator's history");
        }
        int accepted = entry.getJsonArray("participants").size();
        long[] lat = uploadNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        JsonObject r = new JsonObject().put("round", round).put("seconds", seconds)
            .put("uploadPhaseSeconds", (uploaded - start) / 1e9)
            .put("uploadP50Ms", percentile(lat, 0.50) / 1e6).put("uploadP99Ms", percentile(lat, 0.99) / 1e6)
            .put("uploadMaxMs", lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6)
            .put("sent", lat.length).put("accepted", accepted).put("retries", retries.get())
            .put("coordinatorHeapPeakMb", heap.peakUsed() / 1e6).put("coordinatorLiveHeapMb", heap.peakLive() / 1e6);
        progress.printf(Locale.ROOT, "round %d%s: %.1f s, %d sent / %d accepted (%d retried), upload p50 %.0f ms p99 "
                + "%.0f ms, coordinator heap peak %.0f MB (live after GC %.0f MB)%n", round, round == 0 ? " (warm-up)" : "",
            seconds, lat.length, accepted, retries.get(), r.getDouble("uploadP50Ms"), r.getDouble("uploadP99Ms"),
            r.getDouble("coordinatorHeapPeakMb"), r.getDouble("coordinatorLiveHeapMb"));
        if (round > 0) {
          measured.add(r);
        }
      }
      double mean = measured.stream().mapToDouble(o -> ((JsonObject) o).getDouble("seconds")).average().orElse(0);
      boolean nothingDropped = measured.stream().allMatch(o -> ((JsonObject) o).getInteger("sent")
          .equals(((JsonObject) o).getInteger("accepted")) && ((JsonObject) o).getInteger("accepted") == clients);
      JsonObject result = new JsonObject().put("clients", clients).put("length", length).put("transport", transport)
          .put("inFlight", inFlight).put("coordinatorHeapMax", coordinatorHeap)
          .put("modelMb", length * 4.0 / 1e6).put("registerSeconds", registerSeconds)
          .put("secondsPerRound", mean).put("roundsPerHour", 3600 / mean).put("nothingDropped", nothingDropped)
          .put("rounds", measured);
      progress.printf(Locale.ROOT, "%d clients x %,d floats: %.1f s a round, %.0f rounds/hour; every update sent was "
          + "accepted: %s%n", clients, length, mean, 3600 / mean, nothingDropped);
      return result;
    } finally {
      if (heap != null) {
        heap.stop();
      }
      stubs.forEach(FederationStub::close);
      vertx.close().await(30, TimeUnit.SECONDS);
      coordinator.destroy();
      coordinator.waitFor(30, TimeUnit.SECONDS);
      // the run's throw-away CA, keys and checkpoints
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Uploads, retrying a refusal (too many concurrent uploads, a reset) up to {@code attempts} times. */
  private static Future<Void> upload(Vertx vertx, FederationStub stub, int c, long roundId, long version, float[] delta,
      ConcurrentLinkedQueue<Long> nanos, AtomicInteger retries, int attempts) {
    long t = System.nanoTime();
    return stub.uploadUpdate(UpdateChunks.of("load", "c" + c, roundId, version, delta,
            UpdateSummary.newBuilder().setNumExamples(1).build()).iterator())
        .<Void>map(receipt -> {
          nanos.add(System.nanoTime() - t);
          return null;
        })
        .recover(e -> {
          if (attempts <= 1) {
            return Future.failedFuture(e);
          }
          retries.incrementAndGet();
          Promise<Void> later = Promise.promise();
          vertx.setTimer(100, id -> upload(vertx, stub, c, roundId, version, delta, nanos, retries, attempts - 1)
              .onComplete(later));
          return later.future();
        });
  }

  /** Runs {@code action} for every client with at most {@code inFlight} running, and waits for all. */
  private void forEachBounded(java.util.function.IntFunction<Future<Void>> action) throws Exception {
    Semaphore permits = new Semaphore(inFlight);
    CountDownLatch done = new CountDownLatch(clients);
    AtomicLong failures = new AtomicLong();
    List<Throwable> first = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      permits.acquire();
      action.apply(c).onComplete(ar -> {
        if (ar.failed() && failures.incrementAndGet() == 1) {
          synchronized (first) {
            first.add(ar.cause());
          }
        }
        permits.release();
        done.countDown();
      });
    }
    if (!done.await(timeoutMinutes, TimeUnit.MINUTES)) {
      throw new IllegalStateException("clients did not finish within " + timeoutMinutes + " minutes");
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " of " + clients + " client calls failed; first: "
          + first.get(0).getMessage(), first.get(0));
    }
  }

  private Task awaitTrain(FederationStub stub) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
    while (System.nanoTime() < deadline) {
      Task t = stub.getTask(TaskRequest.newBuilder().setFederationId("load").setClientId("c0").build())
          .await(60, TimeUnit.SECONDS);
      if (t.getKind() == Task.Kind.TRAIN) {
        return t;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no training round opened within " + timeoutMinutes + " minutes");
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Polls the coordinator's {@code /status}: its model version and heap (peak in use, peak live after a GC). */
  private static final class HeapWatch {
    private final HttpClient http;
    private final HttpRequest request;
    private final Process coordinator;
    private volatile JsonObject last = new JsonObject();
    private volatile long peakUsed;
    private volatile long peakLive;
    private volatile boolean running;
    private Thread thread;

    HeapWatch(HttpClient http, HttpRequest request, Process coordinator) {
      this.http = http;
      this.request = request;
      this.coordinator = coordinator;
    }

    void awaitUp(Duration max) throws Exception {
      long deadline = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < deadline) {
        if (!coordinator.isAlive()) {
          throw new IllegalStateException("the coordinator exited with " + coordinator.exitValue());
        }
        if (poll()) {
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("the coordinator did not answer /status within " + max.toSeconds() + " s");
    }

    boolean poll() {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return false;
        }
        JsonObject s = new JsonObject(r.body());
        JsonObject jvm = s.getJsonObject("jvm");
        peakUsed = Math.max(peakUsed, jvm.getLong("heapUsedBytes"));
        peakLive = Math.max(peakLive, jvm.getLong("heapAfterLastGcBytes"));
        last = s;
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          poll();
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void resetPeak() {
      peakUsed = 0;
      peakLive = 0;
    }

    long modelVersion() {
      if (!coordinator.isAlive()) {
        throw new IllegalStateException("the coordinator exited with " + coordinator.exitValue());
      }
      poll();
      return last.getLong("modelVersion", -1L);
    }

    JsonObject lastStatus() {
      return last;
    }

    long peakUsed() {
      return peakUsed;
    }

    long peakLive() {
      return peakLive;
    }

    void stop() {
      running = false;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
