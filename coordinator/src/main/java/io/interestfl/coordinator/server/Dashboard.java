package io.interestfl.coordinator.server;

import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The coordinator's dashboard: one static page from the jar ({@code GET /dashboard}, no CDN, no third-party script)
 * that asks for the admin token, then polls {@code /status} with it every 2 s (the token only ever travels in the
 * Authorization header; polling rather than a held-open stream, which the admin port's connection deadlines would
 * cut); it draws the federation's state, a row per round, utility, loss and epsilon over rounds and the registered
 * nodes. Read-only: the page itself holds no data.
 */
final class Dashboard {
  private static final Map<String, String> FILES = Map.of(
      "/dashboard", "index.html", "/dashboard/", "index.html", "/dashboard/dashboard.js", "dashboard.js");

  void page(HttpServerRequest request) {
    String file = FILES.get(request.path());
    if (file == null) {
      request.response().setStatusCode(404).putHeader("content-type", "text/plain").end("no such page");
      return;
    }
    request.response()
        .putHeader("content-type", file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8")
        .putHeader("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        .putHeader("x-content-type-options", "nosniff").putHeader("cache-control", "no-store")
        .end(read(file));
  }

  private static String read(String file) {
    try (InputStream in = Dashboard.class.getResourceAsStream("/io/interestfl/coordinator/dashboard/" + file)) {
      if (in == null) {
        throw new IllegalStateException("dashboard file " + file + " missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
