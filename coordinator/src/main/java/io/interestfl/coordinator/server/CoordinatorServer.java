package io.interestfl.coordinator.server;

import io.interestfl.coordinator.catalogue.Catalogue;
import io.interestfl.coordinator.checkpoint.CheckpointStore;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.round.RoundController;
import io.interestfl.protocol.ConnectionDeadlines;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.ModelFile;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.interestfl.security.BearerToken;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.logging.Logger;

/**
 * The coordinator process: the gRPC Federation service on one port and the admin HTTP API
 * ({@code GET /status}, {@code GET /health}) on another, both served by this verticle's event loop,
 * which owns the {@link RoundController}.
 */
public final class CoordinatorServer extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(CoordinatorServer.class.getName());
  private final CoordinatorConfig config;
  private RoundController rounds;
  private HttpServer grpcHttp;
  private HttpServer adminHttp;
  private BearerToken adminToken;
  private io.interestfl.coordinator.metrics.CoordinatorMetrics metrics;

  public CoordinatorServer(CoordinatorConfig config) {
    this.config = config;
  }

  /** A node whose connections all closed has this long to reconnect before a SecAgg+ round stops waiting for it. */
  static final long CONNECTION_GRACE_MILLIS = 3_000;

  @Override
  public Future<?> start() throws Exception {
    Catalogue catalogue = Catalogue.read(config.resolve(config.catalogue));
    ModelFile initial = ModelFile.read(config.resolve(config.initialModel));
    CheckpointStore checkpoints = config.checkpointDir == null ? null
        : new CheckpointStore(config.resolve(config.checkpointDir));
    rounds = new RoundController(vertx, config, catalogue, initial.parameters(), initial.description(), checkpoints);
    rounds.start();
    metrics = new io.interestfl.coordinator.metrics.CoordinatorMetrics(rounds::modelVersion,
        () -> rounds.registeredClients());
    rounds.onRoundClosed(metrics::roundClosed);

    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(FederationStub.MAX_MESSAGE_BYTES));
    boolean tls = !config.tls.insecure;
    new FederationEndpoint(rounds, config.federationId, tls).bind(grpc);
    HttpServerOptions grpcOptions = new HttpServerOptions().setHost(config.host).setPort(config.grpcPort)
        // a half-sent request must not hold a connection open: idle connections close after two minutes
        .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (tls) {
      grpcOptions.setSsl(true).setUseAlpn(true).setSslHandshakeTimeout(config.headerTimeoutSeconds).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
      ServerSSLOptions ssl = sslOptions();
      grpcOptions.setKeyCertOptions(ssl.getKeyCertOptions()).setTrustOptions(ssl.getTrustOptions())
          .setClientAuth(ClientAuth.REQUIRED);
      ssl.getCrlPaths().forEach(grpcOptions::addCrlPath);
    } else {
      grpcOptions.setHttp2ClearTextEnabled(true);
      warnInsecure();
      vertx.setPeriodic(60_000, id -> warnInsecure());
    }
    // under mutual TLS a connection is a node's: when a node's last one closes mid-SecAgg, the round stops waiting
    ConnectionDeadlines.Listener nodes = tls ? new NodeConnections(vertx, CONNECTION_GRACE_MILLIS,
        rounds::connectionLost) : new ConnectionDeadlines.Listener() { };
    Future<HttpServer> grpcStarted = ConnectionDeadlines.install(vertx, vertx.createHttpServer(grpcOptions), "gRPC port",
        config.headerTimeoutSeconds, config.bodyTimeoutSeconds, timed(grpc), nodes).listen();
    // The admin port: HTTPS with the coordinator's certificate under TLS, and a bearer token on everything but /health.
    adminToken = BearerToken.loadOrCreate(config.resolve(config.adminTokenFile), "admin-token-file");
    // HTTP/1.1 only: h2c detection would hold a connection back from the header deadline until it decides
    HttpServerOptions adminOptions = new HttpServerOptions().setHost(config.host).setPort(config.adminPort)
        .setHttp2ClearTextEnabled(false).setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (tls) {
      adminOptions.setSsl(true).setKeyCertOptions(sslOptions().getKeyCertOptions())
          .setSslHandshakeTimeout(config.headerTimeoutSeconds).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    }
    Future<HttpServer> adminStarted = ConnectionDeadlines.install(vertx, vertx.createHttpServer(adminOptions),
        "admin port", config.headerTimeoutSeconds, config.bodyTimeoutSeconds, this::admin).listen();
    return Future.all(grpcStarted, adminStarted).onSuccess(all -> {
      grpcHttp = grpcStarted.result();
      adminHttp = adminStarted.result();
      if (tls && config.tls.crl != null) {
        watchCrl();
      }
      LOG.info(String.format("coordinator of federation %s: gRPC on %s:%d, admin on %s://%s:%d/status; "
              + "(Authorization: Bearer <%s>); model of %d parameters, catalogue of %d items, %d rounds, strategy %s",
          config.federationId, config.host, grpcPort(), tls ? "https" : "http", config.host, adminPort(),
          config.resolve(config.adminTokenFile), initial.parameters().length,
          catalogue.size(), config.rounds, config.strategy.name
              + ("none".equals(config.robustAggregation.method) ? ""
                  : " over the coordinate-wise " + config.robustAggregation.method
                      + ("median".equals(config.robustAggregation.method) ? ""
                          : " (" + config.robustAggregation.trimFraction + " of each end dropped)"))));
    });
  }

  /** Mutual TLS from the configuration: the coordinator's key and certificate, the federation CA, its CRL. */
  private ServerSSLOptions sslOptions() {
    ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.resolve(config.tls.cert).toString())
            .setKeyPath(config.resolve(config.tls.key).toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(config.resolve(config.tls.caCert).toString()));
    if (config.tls.crl != null) {
      ssl.addCrlPath(config.resolve(config.tls.crl).toString());
    }
    return ssl;
  }

  /** Reloads the TLS settings when the revocation list changes, so a revoked node is refused without a restart. */
  private void watchCrl() {
    Path crl = config.resolve(config.tls.crl);
    long[] seen = {lastModified(crl)};
    vertx.setPeriodic(config.tls.crlReloadSeconds * 1000L, id -> {
      long now = lastModified(crl);
      if (now != seen[0]) {
        seen[0] = now;
        // force: existing connections are re-checked on their next handshake; new ones see the new list
        grpcHttp.updateSSLOptions(sslOptions(), true).onComplete(ar -> LOG.info(ar.succeeded()
            ? "revocation list " + crl + " reloaded" : "could not reload the revocation list " + crl + ": " + ar.cause()));
      }
    });
  }

  private static long lastModified(Path file) {
    try {
      return java.nio.file.Files.getLastModifiedTime(file).toMillis();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private void warnInsecure() {
    LOG.warning("INSECURE: tls.insecure is true: gRPC is plaintext and unauthenticated; any process that reaches "
        + config.host + ":" + config.grpcPort + " can register, impersonate a node and poison the model");
  }

  /** The gRPC handler, each call timed into the metrics by method and gRPC status. */
  private io.vertx.core.Handler<HttpServerRequest> timed(io.vertx.core.Handler<HttpServerRequest> grpc) {
    return request -> {
      long t0 = System.nanoTime();
      String path = request.path();
      request.response().endHandler(v -> metrics.grpcCall(path, request.response().trailers().get("grpc-status"),
          System.nanoTime() - t0));
      grpc.handle(request);
    };
  }

  private void admin(HttpServerRequest request) {
    long t0 = System.nanoTime();
    String path = request.path();
    request.response().endHandler(v -> metrics.adminRequest(path, request.response().getStatusCode(),
        System.nanoTime() - t0));
    if ("/dashboard".equals(path) || path.startsWith("/dashboard/")) {
      Dashboard.page(request);   // static and public: it asks the browser for the token and sends it with each call
      return;
    }
    if (!"/health".equals(request.path()) && !adminToken.admits(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
          .putHeader("content-type", "application/json")
          .end("{\"error\":\"missing or wrong bearer token (admin-token-file " + config.adminTokenFile + ")\"}");
      return;
    }
    switch (request.path()) {
      case "/status" -> request.response().putHeader("content-type", "application/json")
          .end(rounds.status().encodePrettily());
      case "/metrics" -> request.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
      case "/health" -> request.response().putHeader("content-type", "application/json")
          .end("{\"status\":\"UP\",\"state\":\"" + rounds.phase() + "\"}");
      default -> request.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end(new io.vertx.core.json.JsonObject().put("error", "no such endpoint: " + request.path()
              + "; try /status, /metrics or /dashboard").encode());
    }
  }



  @Override
  public Future<?> stop() {
    if (rounds != null) {
      rounds.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
    return Future.succeededFuture();
  }

  public int grpcPort() {
    return grpcHttp.actualPort();
  }

  public int adminPort() {
    return adminHttp.actualPort();
  }

  /** Runs {@code read} against the round controller on the coordinator's own event loop. */
  public <T> Future<T> inspect(java.util.function.Function<RoundController, T> read) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(read.apply(rounds));
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return result.future();
  }
}
