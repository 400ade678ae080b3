package io.interestfl.coordinator.server;

import io.interestfl.coordinator.round.RoundController;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's dashboard: one static page from the jar ({@code GET /dashboard}, no CDN, no third-party script)
 * that asks for the admin token, then reads {@code /status} with it and follows {@code /events} (server-sent events:
 * one {@code round} event per closed round); it draws the federation's state, a row per round, utility and epsilon
 * over rounds and the registered nodes. Read-only: every data request carries the admin token; the page itself holds
 * no data.
 */
final class Dashboard {
  private static final Map<String, String> FILES = Map.of(
      "/dashboard", "index.html", "/dashboard/", "index.html", "/dashboard/dashboard.js", "dashboard.js");
  private final List<HttpServerResponse> listeners = new ArrayList<>();

  Dashboard(Vertx vertx, RoundController rounds) {
    // a comment line every 15 s keeps proxies from closing a quiet stream and finds dead listeners
    vertx.setPeriodic(15_000, id -> send(": keep-alive\n\n"));
  }

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

  /** {@code GET /events}: the rounds as they close, as server-sent events. */
  void events(HttpServerRequest request) {
    HttpServerResponse response = request.response().setChunked(true)
        .putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store");
    response.write(": interestfl rounds\n\n");
    listeners.add(response);
    response.closeHandler(v -> listeners.remove(response));
    if (listeners.size() > 64) {   // bounded: the oldest listener goes
      listeners.remove(0).end();
    }
  }

  void roundClosed(JsonObject entry) {
    JsonObject brief = entry.copy();
    brief.remove("cohort");   // thousands of names: the page asks /status for detail
    send("event: round\ndata: " + brief.encode() + "\n\n");
  }

  private void send(String text) {
    for (HttpServerResponse r : new ArrayList<>(listeners)) {
      if (r.closed() || r.ended()) {
        listeners.remove(r);
      } else {
        r.write(text);
      }
    }
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
