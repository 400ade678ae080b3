package io.interestfl.protocol;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Slowloris defence for a Vert.x HTTP server. An idle timeout alone does not close a connection that trickles one
 * header byte every few seconds; these deadlines do:
 *
 * <ul>
 *   <li><b>headers</b>: a connection must complete a request's headers within {@code headerSeconds} of opening (and,
 *       on HTTP/1.1 keep-alive, within {@code headerSeconds + bodySeconds} of the previous request's end, the body
 *       deadline being the grace for the response), or it is closed;
 *   <li><b>body</b>: an HTTP/1.x request must have been received whole within {@code bodySeconds} of its headers,
 *       or its connection is closed (HTTP/2 streams, the long gRPC uploads, are bounded by the round's deadlines).
 * </ul>
 *
 * <p>The TLS handshake has its own timeout in the server options ({@code setSslHandshakeTimeout}); set it to the
 * same {@code headerSeconds}.
 */
public final class ConnectionDeadlines {
  private static final Logger LOG = Logger.getLogger(ConnectionDeadlines.class.getName());

  private final Vertx vertx;
  private final long headerMillis;
  private final long bodyMillis;
  private final String server;
  private final Map<HttpConnection, long[]> timers = new ConcurrentHashMap<>();

  private final Listener listener;

  private ConnectionDeadlines(Vertx vertx, String server, int headerSeconds, int bodySeconds, Listener listener) {
    this.listener = listener;
    check(headerSeconds, bodySeconds);
    this.vertx = vertx;
    this.server = server;
    this.headerMillis = headerSeconds * 1000L;
    this.bodyMillis = bodySeconds * 1000L;
  }

  /** Refuses deadlines under one second (for callers that take them before the server starts). */
  public static void check(int headerSeconds, int bodySeconds) {
    if (headerSeconds < 1 || bodySeconds < 1) {
      throw new IllegalArgumentException("header and body deadlines must be >= 1 s, got " + headerSeconds + " and "
          + bodySeconds);
    }
  }

  /**
   * Installs the deadlines on {@code http} and routes its requests to {@code requests}; returns {@code http}.
   *
   * @param server names the server in the log line of a closed connection
   */
  public static HttpServer install(Vertx vertx, HttpServer http, String server, int headerSeconds, int bodySeconds,
      Handler<HttpServerRequest> requests) {
    return install(vertx, http, server, headerSeconds, bodySeconds, requests, new Listener() { });
  }

  /** Hears of every connection opening and closing (a connection has one close handler; this one owns it). */
  public interface Listener {
    default void opened(HttpConnection connection) {
    }

    default void closed(HttpConnection connection) {
    }
  }

  /** As {@link #install(Vertx, HttpServer, String, int, int, Handler)}, telling {@code listener} of connections. */
  public static HttpServer install(Vertx vertx, HttpServer http, String server, int headerSeconds, int bodySeconds,
      Handler<HttpServerRequest> requests, Listener listener) {
    ConnectionDeadlines deadlines = new ConnectionDeadlines(vertx, server, headerSeconds, bodySeconds, listener);
    return http.connectionHandler(deadlines::opened).requestHandler(request -> {
      deadlines.request(request);
      requests.handle(request);
    });
  }

  private void opened(HttpConnection connection) {
    long[] timer = {-1};
    timers.put(connection, timer);
    listener.opened(connection);
    connection.closeHandler(v -> {
      listener.closed(connection);
      long[] t = timers.remove(connection);
      if (t != null && t[0] >= 0) {
        vertx.cancelTimer(t[0]);
      }
    });
    arm(connection, timer, headerMillis, "did not send a request's headers");
  }

  private void request(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    long[] timer = timers.get(connection);
    if (timer == null) {
      return;
    }
    cancel(timer);
    if (request.version() == HttpVersion.HTTP_2) {
      return;   // multiplexed streams: the first request's headers are enough
    }
    arm(connection, timer, bodyMillis, "did not finish sending a request body");
    // keep-alive: the next request's headers must come within the header deadline of this request's response;
    // the handlers here answer in milliseconds, so the body deadline is the response's grace
    request.end().onComplete(done -> arm(connection, timer, headerMillis + bodyMillis,
        "did not send its next request's headers"));
  }

  private void arm(HttpConnection connection, long[] timer, long millis, String why) {
    cancel(timer);
    timer[0] = vertx.setTimer(millis, id -> {
      timer[0] = -1;
      LOG.warning(String.format("%s: closed a connection from %s that %s within %d s", server,
          connection.remoteAddress(), why, millis / 1000));
      connection.close();
    });
  }

  private void cancel(long[] timer) {
    if (timer[0] >= 0) {
      vertx.cancelTimer(timer[0]);
      timer[0] = -1;
    }
  }
}
