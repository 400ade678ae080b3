package io.interestfl.coordinator.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * The coordinator's dashboard: one static page from the jar ({@code GET /dashboard}, no CDN, no third-party script)
 * that asks for the admin token, then polls {@code /status} with it every 2 s (the token only ever travels in the
 * Authorization header; polling rather than a held-open stream, which the admin port's connection deadlines would
 * cut); it draws the federation's state, a row per round, utility, loss and epsilon over rounds and the registered
 * nodes. Read-only: the page itself holds no data.
 */
final class Dashboard {
  private Dashboard() {}

  private static final Map<String, String> FILES = Map.of(
      "/dashboard", "index.html", "/dashboard/", "index.html", "/dashboard/dashboard.js", "dashboard.js");

  static void page(HttpServerRequest request) {
    String file = FILES.get(request.path());
    if (file == null) {
      request.response().setStatusCode(404).putHeader("content-type", "text/plain").end("no such page");
      return;
    }
    io.interestfl.protocol.StaticPage.send(request.response(), "/io/interestfl/coordinator/dashboard/" + file);
  }
}
