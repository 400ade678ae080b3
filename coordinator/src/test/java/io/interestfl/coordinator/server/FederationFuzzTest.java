package io.interestfl.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.LogWatch;
import io.interestfl.protocol.v1.CatalogueRequest;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.SecAggChunk;
import io.interestfl.protocol.v1.SecAggFetchRequest;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.interestfl.security.FederationCa;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's fuzz test: 10^5 generated messages to every RPC of the Federation service, over mutual TLS on loopback,
 * from "eve", a node with a valid certificate of the federation (the deepest an outsider can reach). A third are
 * random bytes, a third mutations of valid messages (some naming honest nodes), a third well-formed messages with
 * random field values. Every call must end in a clean gRPC status (no INTERNAL or UNKNOWN, no error logged by
 * interestfl or Vert.x), and the federation's state must be what it was: model bits, version, open round, cohort, and every
 * honest node's registration and evaluations. A legitimate call still works afterwards.
 */
class FederationFuzzTest {
  static final int MESSAGES = 100_000;
  static final String SERVICE = "interestfl.v1.Federation";
  static final String[] METHODS = {"Register", "GetTask", "DownloadCatalogue", "DownloadModel", "UploadUpdate",
      "ReportEvaluation", "SecAggFetch", "SecAggSubmit", "Withdraw", "NoSuchMethod"};
  static final boolean[] CLIENT_STREAM = {false, false, false, false, true, false, false, true, false, false};

  @Test
  void aHundredThousandGeneratedMessagesCrashNothingAndChangeNothing(@TempDir Path dir) throws Exception {
    FederationCa ca = FederationCa.create(dir.resolve("pki"), "test-federation", Duration.ofDays(1));
    ca.issueKit("coordinator", FederationCa.Role.COORDINATOR, List.of("localhost", "127.0.0.1"), Duration.ofDays(1),
        dir.resolve("pki/coordinator"));
    for (String name : List.of("a", "b", "c", "eve")) {
      ca.issueKit(name, FederationCa.Role.NODE, List.of(), Duration.ofDays(1), dir.resolve("pki/" + name));
    }
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 1_000, c -> {
      c.tls.insecure = false;
      c.tls.caCert = "pki/ca.crt";
      c.tls.cert = "pki/coordinator/coordinator.crt";
      c.tls.key = "pki/coordinator/coordinator.key";
      c.minClients = 3;
      c.roundTimeoutSeconds = 3_600;
      c.clientTimeoutSeconds = 3_600;
      c.maxUpdateNorm = 1000;
    })) {
      SocketAddress address = SocketAddress.inetSocketAddress(h.server.grpcPort(), "127.0.0.1");
      for (String name : List.of("a", "b", "c")) {
        FederationStub stub = new FederationStub(h.vertx, address, 20, tls(dir, name));
        CoordinatorHarness.await(stub.register(RegisterRequest.newBuilder().setFederationId("test-federation")
            .setClientName(name).setRegion("honest").setNumExamples(100).build()));
        CoordinatorHarness.await(stub.reportEvaluation(EvaluationReport.newBuilder().setFederationId("test-federation")
            .setClientId(name).setSubject(EvaluationReport.Subject.FEDERATED).setModelVersion(0)
            .setMetrics(Metrics.newBuilder().setNdcgAt10(0.1).setHitRateAt10(0.2).setMrr(0.05).setNumUsers(10))
            .build()));
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.status().containsKey("openRound"));
      JsonObject before = fingerprint(h);
      float[] model = h.globalModel();

      // eve's thousands of refused calls and of her own (re)registrations and withdrawals would fill the build log
      LogWatch errors = LogWatch.start(true);
      Map<String, Integer> statuses = new ConcurrentHashMap<>();
      AtomicInteger transportFailures = new AtomicInteger();
      GrpcClient eve = GrpcClient.client(h.vertx, new GrpcClientOptions().setMaxMessageSize(FederationStub.MAX_MESSAGE_BYTES),
          tls(dir, "eve").setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true));
      Generator generator = new Generator(new SplittableRandom(15));
      Semaphore inFlight = new Semaphore(64);
      long start = System.nanoTime();
      try {
        for (int i = 0; i < MESSAGES; i++) {
          int method = i % METHODS.length;
          List<Buffer> messages = generator.messages(method);
          inFlight.acquire();
          call(eve, address, METHODS[method], messages).onComplete(ar -> {
            if (ar.succeeded()) {
              statuses.merge(ar.result().name(), 1, Integer::sum);
            } else {
              transportFailures.incrementAndGet();
            }
            inFlight.release();
          });
        }
        assertTrue(inFlight.tryAcquire(64, 120, TimeUnit.SECONDS), "every call ended");
      } finally {
        errors.close();
        eve.close();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("fuzz: %d messages in %.1f s (%.0f/s): %s, %d transport failures%n", MESSAGES, seconds,
          MESSAGES / seconds, statuses, transportFailures.get());

      assertEquals(0, errors.errors(), "errors logged: " + errors.first());
      assertEquals(null, statuses.get("INTERNAL"), "INTERNAL: " + statuses);
      assertEquals(null, statuses.get("UNKNOWN"), "UNKNOWN: " + statuses);
      assertEquals(0, transportFailures.get(), "calls that ended without a gRPC status");
      assertTrue(statuses.getOrDefault("PERMISSION_DENIED", 0) > 1_000, "eve was refused as another node");
      assertTrue(statuses.getOrDefault("INVALID_ARGUMENT", 0) > 10_000, "malformed input was refused");
      assertEquals(before, fingerprint(h), "the federation's state is unchanged");
      assertTrue(Arrays.equals(model, h.globalModel()), "the model's bits are unchanged");

      FederationStub a = new FederationStub(h.vertx, address, 20, tls(dir, "a"));
      Task task = CoordinatorHarness.await(a.getTask(TaskRequest.newBuilder().setFederationId("test-federation")
          .setClientId("a").build()));
      assertEquals(Task.Kind.TRAIN, task.getKind(), "an honest node still gets its task");

      // found by this fuzzer: a node's free text went into the log as it was; a newline forged log lines
      FederationStub asEve = new FederationStub(h.vertx, address, 20, tls(dir, "eve"));
      io.interestfl.protocol.RpcException forged = org.junit.jupiter.api.Assertions.assertThrows(
          io.interestfl.protocol.RpcException.class, () -> asEve.register(RegisterRequest
              .newBuilder().setFederationId("test-federation").setClientName("eve").setNumExamples(1)
              .setRegion("x\nINFO: client a withdrew").build()).await(20, TimeUnit.SECONDS));
      assertEquals(GrpcStatus.INVALID_ARGUMENT, forged.status());
      assertTrue(forged.getMessage().contains("control characters"), forged.getMessage());
    }
  }

  /** The state eve must not change: everything but her own entries and the clocks. */
  private static JsonObject fingerprint(CoordinatorHarness h) throws Exception {
    JsonObject status = h.status().copy();
    JsonArray honest = new JsonArray();
    for (Object o : status.getJsonArray("clients")) {
      JsonObject client = ((JsonObject) o).copy();
      client.remove("lastSeenMillisAgo");
      if (!"eve".equals(client.getString("id"))) {
        honest.add(client);
      }
    }
    status.put("clients", honest);
    status.getJsonObject("openRound").remove("deadlineInMillis");
    status.remove("jvm");   // the coordinator's heap moves with every request; the federation's state must not
    JsonObject clients = status.getJsonObject("evaluations").getJsonObject("federated").getJsonObject("v0")
        .getJsonObject("clients").copy();
    clients.remove("eve");
    status.put("evaluations", clients);
    return status.put("accepted", h.acceptedUpdates()).put("version", h.modelVersion());
  }

  private static HttpClientOptions tls(Path dir, String name) {
    Path kit = dir.resolve("pki/" + name);
    return FederationStub.mutualTls(kit.resolve(name + ".crt"), kit.resolve(name + ".key"), dir.resolve("pki/ca.crt"));
  }

  /** One raw call: the messages as they are, the response messages drained; the call's gRPC status. */
  private static Future<GrpcStatus> call(GrpcClient client, SocketAddress address, String method,
      List<Buffer> messages) {
    return client.request(address).compose(request -> {
      request.serviceName(ServiceName.create(SERVICE)).methodName(method);
      request.timeout(30, TimeUnit.SECONDS);
      Future<GrpcStatus> status = request.response().compose(response -> {
        response.handler(message -> { });
        return response.end().transform(ar -> Future.succeededFuture(response.status()));
      });
      for (int m = 0; m < messages.size() - 1; m++) {
        request.write(messages.get(m));
      }
      request.end(messages.get(messages.size() - 1));
      return status;
    });
  }

  /** Random bytes, mutations of valid messages, and well-formed messages with random field values. */
  static final class Generator {
    private final SplittableRandom random;
    private final String[] names = {"eve", "a", "b", "", "test-federation", "x".repeat(300), "\u0000", "a\nb",
        "../../etc", "\uD83D\uDE00"};

    Generator(SplittableRandom random) {
      this.random = random;
    }

    List<Buffer> messages(int method) {
      int count = CLIENT_STREAM[method] ? 1 + random.nextInt(3) : 1;
      List<Buffer> out = new ArrayList<>();
      for (int m = 0; m < count; m++) {
        byte[] bytes = switch (random.nextInt(3)) {
          case 0 -> randomBytes(random.nextInt(64));
          case 1 -> mutate(valid(method).toByteArray());
          default -> randomFields(valid(method).toBuilder(), 0).build().toByteArray();
        };
        out.add(Buffer.buffer(bytes));
      }
      return out;
    }

    private byte[] randomBytes(int length) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      return bytes;
    }

    private byte[] mutate(byte[] bytes) {
      byte[] out = bytes.clone();
      switch (random.nextInt(4)) {
        case 0 -> {
          for (int k = 0; k < 1 + random.nextInt(4) && out.length > 0; k++) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> out = Arrays.copyOf(out, out.length == 0 ? 0 : random.nextInt(out.length));
        case 2 -> {
          byte[] tail = randomBytes(1 + random.nextInt(16));
          out = Arrays.copyOf(out, out.length + tail.length);
          System.arraycopy(tail, 0, out, bytes.length, tail.length);
        }
        default -> {
          if (out.length > 0) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
          }
        }
      }
      return out;
    }

    private String name() {
      return names[random.nextInt(names.length)];
    }

    /** A valid message of the method's request type, as eve or as an honest node. */
    private Message valid(int method) {
      String client = random.nextInt(4) == 0 ? "a" : "eve";
      String federation = random.nextInt(8) == 0 ? "other" : "test-federation";
      return switch (METHODS[method]) {
        case "Register" -> RegisterRequest.newBuilder().setFederationId(federation).setClientName(client)
            .setRegion("r").setNumExamples(random.nextInt(1000)).build();
        case "GetTask" -> TaskRequest.newBuilder().setFederationId(federation).setClientId(client).build();
        case "DownloadCatalogue" -> CatalogueRequest.newBuilder().setFederationId(federation).setClientId(client).build();
        case "DownloadModel" -> ModelRequest.newBuilder().setFederationId(federation).setClientId(client)
            .setRoundId(1).setModelVersion(0).build();
        case "UploadUpdate" -> UpdateChunk.newBuilder().setFederationId(federation).setClientId(client).setRoundId(1)
            .setModelVersion(0).setOffset(0).setTotalLength(1_000).setData(ByteString.copyFrom(randomBytes(64))).build();
        case "ReportEvaluation" -> EvaluationReport.newBuilder().setFederationId(federation).setClientId(client)
            .setSubject(EvaluationReport.Subject.FEDERATED).setModelVersion(0)
            .setMetrics(Metrics.newBuilder().setNdcgAt10(0.9).setNumUsers(5)).build();
        case "SecAggFetch" -> SecAggFetchRequest.newBuilder().setFederationId(federation).setClientId(client)
            .setRoundId(1).build();
        case "SecAggSubmit" -> SecAggChunk.newBuilder().setFederationId(federation).setClientId(client).setRoundId(1)
            .setTotalBytes(16).setData(ByteString.copyFrom(randomBytes(16))).build();
        default -> WithdrawRequest.newBuilder().setFederationId(federation).setClientId(client).setReason("x").build();
      };
    }

    /** Sets some fields to random values of their type (nested messages to depth 2). */
    private Message.Builder randomFields(Message.Builder builder, int depth) {
      for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
        if (random.nextInt(3) != 0) {
          continue;
        }
        if (field.isRepeated()) {
          if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
            for (int k = random.nextInt(4); k > 0; k--) {
              builder.addRepeatedField(field, value(field, builder, depth));
            }
          }
          continue;
        }
        Object value = value(field, builder, depth);
        if (value != null) {
          builder.setField(field, value);
        }
      }
      return builder;
    }

    private Object value(FieldDescriptor field, Message.Builder parent, int depth) {
      return switch (field.getJavaType()) {
        case INT -> new int[] {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt()}[random.nextInt(6)];
        case LONG -> new long[] {0, -1, 1, 2, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, random.nextLong()}[random.nextInt(8)];
        case DOUBLE -> new double[] {0, -1, 1e308, Double.NaN, Double.POSITIVE_INFINITY, -0.0, random.nextDouble()}
            [random.nextInt(7)];
        case FLOAT -> new float[] {0, Float.NaN, -1, Float.MAX_VALUE}[random.nextInt(4)];
        case BOOLEAN -> random.nextBoolean();
        case STRING -> name();
        case BYTE_STRING -> ByteString.copyFrom(randomBytes(random.nextInt(4) == 0 ? 4_096 : random.nextInt(48)));
        case ENUM -> {
          var values = field.getEnumType().getValues();
          yield values.get(random.nextInt(values.size()));
        }
        case MESSAGE -> depth >= 2 ? null
            : randomFields(parent.newBuilderForField(field), depth + 1).build();
      };
    }
  }
}
