package io.interestfl.coordinator.server;

import static io.interestfl.coordinator.server.CoordinatorHarness.constant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.v1.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus scrapes GET /metrics with the admin token and sees every round; the dashboard page is served. */
class MetricsEndpointTest {
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$").matcher(scrape);
    assertTrue(m.find(), "no series " + series + " in\n" + scrape.lines().filter(l -> l.startsWith("interestfl"))
        .reduce("", (a, b) -> a + b + "\n"));
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aScrapeSeesTheRoundsTheirClientsAndTheRequests(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 100, c -> c.rounds = 2)) {
      String token = Files.readString(dir.resolve("admin-token")).trim();
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + h.server.adminPort();
      assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "metrics need the admin token");
      h.register("a", 10);
      h.register("b", 10);
      h.register("c", 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> h.task("a").getKind() == Task.Kind.TRAIN);
      h.upload("a", 1, 0, constant(100, 1f), 10);
      h.upload("b", 1, 0, constant(100, 1f), 10);
      h.upload("c", 1, 0, constant(100, 1f), 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> h.modelVersion() == 1);
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
      String s = scrape.body();
      assertEquals(1, value(s, "interestfl_rounds_committed_total"));
      assertEquals(0, value(s, "interestfl_rounds_failed_total"));
      assertEquals(3, value(s, "interestfl_round_clients_selected_total"));
      assertEquals(3, value(s, "interestfl_round_clients_reported_total"));
      assertEquals(0, value(s, "interestfl_round_clients_dropped_total"));
      assertEquals(1, value(s, "interestfl_model_version"));
      assertEquals(10, value(s, "interestfl_update_norm_mean"), 1e-4);   // 100 ones: norm 10
      assertEquals(0, value(s, "interestfl_updates_clipped_ratio"));
      assertEquals(3, value(s, "interestfl_clients_registered"));
      assertEquals(1, value(s, "interestfl_round_duration_seconds_count"));
      assertTrue(value(s, "interestfl_update_received_bytes_total") >= 3 * 100 * 4);
      assertEquals(3, value(s, "interestfl_grpc_server_requests_seconds_count{method=\"UploadUpdate\",status=\"0\"}"));
      assertEquals(3, value(s, "interestfl_grpc_server_requests_seconds_count{method=\"Register\",status=\"0\"}"));
      assertTrue(value(s, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") >= 0);
      // a stranger's made-up paths do not make new series
      http.send(HttpRequest.newBuilder(URI.create(base + "/no-such-" + System.nanoTime())).build(),
          HttpResponse.BodyHandlers.ofString());
      String again = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(again.contains("path=\"other\""), "unknown paths are counted as other");
      assertTrue(!again.contains("no-such-"));
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("interestfl coordinator") && !page.body().contains("\"federation\":"),
          "the page is static and carries no data");
    }
  }
}
