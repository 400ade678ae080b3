package io.interestfl.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's admin port: /status only with the admin token; /health open; the token made owner-only. */
class AdminAuthenticationTest {
  @Test
  void statusNeedsTheAdminTokenAndHealthDoesNot(@TempDir Path dir) throws Exception {
    try (CoordinatorHarness h = new CoordinatorHarness(dir, 100, c -> { })) {
      Path tokenFile = dir.resolve("admin-token");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
      String token = Files.readString(tokenFile).trim();
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + h.server.adminPort();
      for (String auth : new String[] {null, "Bearer not-the-admin-token-000", "Basic " + token}) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/status"));
        if (auth != null) {
          request.header("Authorization", auth);
        }
        HttpResponse<String> refused = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), String.valueOf(auth));
        assertTrue(!refused.body().contains("clients"), "nothing of the federation leaks: " + refused.body());
      }
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertTrue(status.body().contains("\"federation\""), status.body());
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }
}
