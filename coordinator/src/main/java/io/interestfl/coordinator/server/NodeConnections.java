package io.interestfl.coordinator.server;

import io.interestfl.protocol.ConnectionDeadlines;
import io.interestfl.security.PeerIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which authenticated nodes hold a gRPC connection (mutual TLS: a connection's node is its certificate's common
 * name). When a node's last connection closes and it has not reconnected within {@code graceMillis}, {@code lost}
 * hears its name: a node killed with SIGKILL has its sockets closed by the kernel at once, so the round need not wait
 * for a deadline to learn it is gone. Runs on the gRPC server's event loop.
 */
final class NodeConnections implements ConnectionDeadlines.Listener {
  private final Vertx vertx;
  private final long graceMillis;
  private final Consumer<String> lost;
  private final Map<HttpConnection, String> names = new HashMap<>();
  private final Map<String, Integer> open = new HashMap<>();

  NodeConnections(Vertx vertx, long graceMillis, Consumer<String> lost) {
    this.vertx = vertx;
    this.graceMillis = graceMillis;
    this.lost = lost;
  }

  @Override
  public void opened(HttpConnection connection) {
    String name;
    try {
      name = PeerIdentity.of(connection.peerCertificates().toArray(new Certificate[0]));
    } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException e) {
      return;   // not authenticated: every call on it is refused anyway
    }
    if (name != null) {
      names.put(connection, name);
      open.merge(name, 1, Integer::sum);
    }
  }

  @Override
  public void closed(HttpConnection connection) {
    String name = names.remove(connection);
    if (name == null) {
      return;
    }
    if (open.merge(name, -1, Integer::sum) <= 0) {
      open.remove(name);
      vertx.setTimer(graceMillis, id -> {
        if (!open.containsKey(name)) {
          lost.accept(name);
        }
      });
    }
  }
}
