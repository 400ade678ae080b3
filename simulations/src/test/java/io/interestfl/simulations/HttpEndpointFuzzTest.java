package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.LogWatch;
import io.interestfl.serving.RecommendationServer;
import io.interestfl.serving.StaticRepresentations;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Issue 15's fuzz test of the HTTP endpoints: the coordinator's admin port (HTTPS, bearer token) and a node's
 * recommendation API (bearer token), sent 4,000 and 12,000 generated requests written byte for byte
 * (random methods, paths, queries, headers, Authorization values, Content-Lengths and bodies, mutations of valid
 * feedback). No answer
 * is a 5xx, no error is logged by interestfl or Vert.x, nothing but /health answers without the token, every feedback line written
 * was acknowledged to an authenticated caller, and the coordinator's state is unchanged.
 */
class HttpEndpointFuzzTest {
  static final int ADMIN_REQUESTS = 4_000;
  static final int SERVING_REQUESTS = 12_000;
  static final String TOKEN = "merchant-front-end-token-0123456789";

  @Test
  void generatedRequestsToTheAdminAndRecommendationPortsCrashNothingAndChangeNothing(@TempDir Path dir)
      throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "fuzz", 8, 16, 1e-3)) {
      federation.config.minClients = 5;
      federation.config.headerTimeoutSeconds = 2;   // short deadlines: requests announcing more body than they send
      federation.config.bodyTimeoutSeconds = 3;
      federation.start();
      String adminToken = Files.readString(dir.resolve("admin-token")).trim();
      JsonObject before = fingerprint(federation.status());

      SplittableRandom random = new SplittableRandom(15);
      float[][] vectors = new float[50][8];
      for (float[] row : vectors) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) random.nextGaussian();
        }
      }
      double[] popularity = new double[50];
      java.util.Arrays.fill(popularity, 1);
      ItemSpace items = new ItemSpace(vectors, null, null, popularity, 2);
      RecommendationServer serving = new RecommendationServer(new StaticRepresentations(items,
          Map.of("17850", vectors[10].clone())), Policies.create("thompson", items, PolicyConfig.defaults(3)),
          dir.resolve("feedback.csv"), "127.0.0.1", 0, 1, TOKEN).deadlines(2, 3);
      int servingPort = serving.start().await(30, TimeUnit.SECONDS);

      Vertx vertx = Vertx.vertx();
      LogWatch errors = LogWatch.start(true);
      try {
        Result admin = fuzz(vertx, federation.adminPort(), true, ADMIN_REQUESTS, adminToken, random, false);
        Result recommendations = fuzz(vertx, servingPort, false, SERVING_REQUESTS, TOKEN, random, true);
        System.out.println("admin fuzz: " + admin + "\nrecommendation API fuzz: " + recommendations);
        for (Result r : List.of(admin, recommendations)) {
          assertEquals(0, r.serverErrors.get(), "5xx answers: " + r);
          assertEquals(0, r.unauthenticatedAnswered.get(), "answered without the token: " + r);
          assertEquals(0, r.connectionFailures.get(), "requests left unanswered (timed out or cut): " + r);
          assertTrue(r.codes.getOrDefault(401, 0) > 1_000 && r.codes.getOrDefault(200, 0) > 50, r.toString());
          assertTrue(r.codes.getOrDefault(400, 0) + r.codes.getOrDefault(404, 0) > 1_000, r.toString());
        }
        assertEquals(0, errors.errors(), "errors logged (e.g. Vert.x's 'Unhandled exception'): " + errors.first());
        long written = Files.exists(dir.resolve("feedback.csv"))
            ? Files.readAllLines(dir.resolve("feedback.csv")).stream().filter(l -> !l.isEmpty() && !l.equals(io.interestfl.serving.FeedbackLog.HEADER)).count()
            : 0;
        assertEquals(recommendations.feedbackRecorded.get(), written,
            "every feedback line was acknowledged to a caller with the token, and only those");
        assertEquals(before, fingerprint(federation.status()), "the coordinator's state is unchanged");
      } finally {
        errors.close();
        serving.stop().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static JsonObject fingerprint(JsonObject status) {
    JsonObject copy = status.copy();
    copy.remove("history");
    copy.remove("jvm");   // the heap moves with every request; the federation's state must not
    return copy;
  }

  static final class Result {
    final Map<Integer, Integer> codes = new ConcurrentHashMap<>();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger unauthenticatedAnswered = new AtomicInteger();
    final AtomicInteger feedbackRecorded = new AtomicInteger();
    final AtomicInteger connectionFailures = new AtomicInteger();
    final AtomicInteger cutByTheBodyDeadline = new AtomicInteger();
    double seconds;
    final java.util.Queue<String> examples = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public String toString() {
      return String.format("%.1f s, ", seconds) + "status codes " + codes + " (0: closed without an answer; " + cutByTheBodyDeadline + " of them short "
          + "bodies cut by the body deadline), connection failures " + connectionFailures
          + (examples.isEmpty() ? "" : ", e.g. " + examples.stream().limit(5).toList());
    }
  }

  /**
   * {@code count} generated requests, each written byte for byte on its own connection ({@code Connection: close}),
   * 32 at a time; the answer's status line is read back. Raw bytes, so that paths and headers no client library
   * would send are sent too.
   */
  private static Result fuzz(Vertx vertx, int port, boolean tls, int count, String token, SplittableRandom random,
      boolean serving) throws Exception {
    Result result = new Result();
    NetClient net = vertx.createNetClient(new NetClientOptions().setSsl(tls).setTrustAll(tls)
        .setHostnameVerificationAlgorithm("").setConnectTimeout(10_000));
    Semaphore inFlight = new Semaphore(32);
    String[] paths = serving
        ? new String[] {"/v1/recommendations", "/v1/feedback", "/health", "/v1/", "/", "/v1/recommendations/../feedback"}
        : new String[] {"/status", "/health", "/", "/status/", "/admin", "/%2e%2e/status"};
    String[] methods = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", ""};
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String method = methods[random.nextInt(methods.length)];
      String path = paths[random.nextInt(paths.length)];
      if (random.nextInt(4) == 0) {
        path += "?" + query(random);
      } else if (random.nextInt(8) == 0) {
        path += junk(random, random.nextInt(10) == 0 ? 9_000 : 20);
      }
      String auth = switch (random.nextInt(6)) {
        case 0, 1 -> "Bearer " + token;
        case 2 -> null;
        case 3 -> "Bearer " + token.substring(1);
        case 4 -> "Basic " + token;
        default -> "Bearer " + token + junk(random, 3);
      };
      boolean authenticated = auth != null && auth.equals("Bearer " + token);
      boolean open = path.equals("/health") || path.startsWith("/health?");
      Buffer body = body(random);
      StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
          .append("Connection: close\r\nContent-Type: application/json\r\n");
      if (auth != null) {
        head.append("Authorization: ").append(auth).append("\r\n");
      }
      if (random.nextInt(5) == 0) {
        head.append(junk(random, 8).replaceAll("[^A-Za-z]", "x")).append("X: ").append(junk(random, 30)).append("\r\n");
      }
      boolean lies = random.nextInt(100) == 0;   // announces more body than it sends: cut by the body deadline
      if (lies) {
        head.append("Content-Length: ").append(body.length() + 1 + random.nextInt(1_000_000));
      } else if (random.nextInt(20) == 0) {
        head.append("Content-Length: ").append(new String[] {"-1", "abc", "0x10", "1e3"}[random.nextInt(4)]);
      } else {
        head.append("Content-Length: ").append(body.length());
      }
      head.append("\r\n\r\n");
      Buffer bytes = Buffer.buffer(head.toString()).appendBuffer(body);
      String described = method + " " + path + " auth=" + (auth != null) + (lies ? " (short body)" : "");
      inFlight.acquire();
      Promise<String> answered = Promise.promise();
      long timer = vertx.setTimer(15_000, id -> answered.tryFail("no answer within 15 s: " + described));
      net.connect(port, "127.0.0.1").onFailure(answered::tryFail).onSuccess(socket -> {
        Buffer received = Buffer.buffer();
        socket.handler(received::appendBuffer);
        socket.closeHandler(v -> {
          String text = received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
          answered.tryComplete(text);
        });
        socket.write(bytes);
      });
      answered.future().onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          String text = ar.result();
          // 0: closed without an answer
          int code = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
          result.codes.merge(code, 1, Integer::sum);
          if (code >= 500) {
            result.serverErrors.incrementAndGet();
            result.examples.add(code + " <- " + described);
          }
          if (lies && code == 0) {
            result.cutByTheBodyDeadline.incrementAndGet();
          }
          if (!authenticated && !open && code == 200) {
            result.unauthenticatedAnswered.incrementAndGet();
            result.examples.add(code + " without the token <- " + described);
          }
          if (code == 200 && text.contains("\"recorded\":true")) {
            result.feedbackRecorded.incrementAndGet();
          }
        } else {
          result.connectionFailures.incrementAndGet();
          result.examples.add(ar.cause().getMessage());
        }
        inFlight.release();
      });
    }
    assertTrue(inFlight.tryAcquire(32, 60, TimeUnit.SECONDS), "every request ended");
    result.seconds = (System.nanoTime() - start) / 1e9;
    net.close().await(10, TimeUnit.SECONDS);
    return result;
  }

  private static String query(SplittableRandom random) {
    String[] keys = {"customer", "k", "x", "customer", ""};
    String[] values = {"17850", "-1", "0", "101", "10", "ten", "%00", "%ZZ", "a%20b", "x".repeat(100), "9999999999"};
    StringBuilder q = new StringBuilder();
    for (int n = random.nextInt(4); n >= 0; n--) {
      q.append(keys[random.nextInt(keys.length)]).append('=').append(values[random.nextInt(values.length)]).append('&');
    }
    return q.toString();
  }

  private static String junk(SplittableRandom random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (33 + random.nextInt(94)));
    }
    return s.toString();
  }

  private static Buffer body(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> Buffer.buffer();
      case 1 -> {
        byte[] bytes = new byte[random.nextInt(200)];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) random.nextInt(256);
        }
        yield Buffer.buffer(bytes);
      }
      default -> {
        JsonObject valid = new JsonObject().put("customer", "17850").put("item", 2 + random.nextInt(48))
            .put("event", "click").put("timestamp", "2026-12-07T10:00:00Z");
        String[] fields = {"customer", "item", "event", "timestamp"};
        Object[] odd = {null, -1, 1e308, "", "x".repeat(100), new JsonArray().add(1), new JsonObject(), true,
            Long.MAX_VALUE, "purchase", "impression", "../etc"};
        for (int n = random.nextInt(3); n > 0; n--) {
          valid.put(fields[random.nextInt(fields.length)], odd[random.nextInt(odd.length)]);
        }
        String text = valid.encode();
        yield Buffer.buffer(random.nextInt(4) == 0 ? text.substring(0, random.nextInt(text.length())) : text);
      }
    };
  }
}
