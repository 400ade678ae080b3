package io.interestfl.protocol;

import io.interestfl.protocol.v1.CatalogueChunk;
import io.interestfl.protocol.v1.CatalogueRequest;
import io.interestfl.protocol.v1.EvaluationReceipt;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.FederationGrpcClient;
import io.interestfl.protocol.v1.ModelChunk;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.RegisterResponse;
import io.interestfl.protocol.v1.SecAggChunk;
import io.interestfl.protocol.v1.SecAggFetchRequest;
import io.interestfl.protocol.v1.SecAggReceipt;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UploadReceipt;
import io.interestfl.protocol.v1.WithdrawReceipt;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Calls to the coordinator's Federation service. Unlike the generated client, a failure keeps the
 * server's status and message ({@link RpcException}) so a client node can tell a rejection
 * (stale round, wrong length) from a transient outage.
 */
public final class FederationStub implements AutoCloseable {
  /** 128 KiB of float32 per message keeps far below the default 256 KiB gRPC message cap. */
  public static final int CHUNK_FLOATS = 32 * 1024;
  /** Both ends accept somewhat larger messages than they send. */
  public static final long MAX_MESSAGE_BYTES = 4L << 20;

  private final GrpcClient client;
  private final SocketAddress address;
  private final long callTimeoutSeconds;

  /** A plaintext (h2c) stub: for a coordinator that runs with {@code tls.insecure: true}. */
  public FederationStub(Vertx vertx, SocketAddress address, long callTimeoutSeconds) {
    this(vertx, address, callTimeoutSeconds, null);
  }

  /**
   * A stub over {@code http}'s connection settings (mutual TLS: HTTP/2 over ALPN, the node's key and certificate,
   * the federation CA); null for plaintext h2c.
   */
  public FederationStub(Vertx vertx, SocketAddress address, long callTimeoutSeconds, HttpClientOptions http) {
    GrpcClientOptions grpc = new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES);
    this.client = http == null ? GrpcClient.client(vertx, grpc)
        : GrpcClient.client(vertx, grpc, http.setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
            .setVerifyHost(true));
    this.address = address;
    this.callTimeoutSeconds = callTimeoutSeconds;
  }

  /**
   * The connection settings of a node (or any client) under mutual TLS: its certificate and key, and the federation
   * CA it trusts (PEM files), for {@link #FederationStub(Vertx, SocketAddress, long, HttpClientOptions)}.
   */
  public static HttpClientOptions mutualTls(java.nio.file.Path cert, java.nio.file.Path key, java.nio.file.Path caCert) {
    return new HttpClientOptions()
        .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(cert.toString())
            .setKeyPath(key.toString()))
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(caCert.toString()));
  }

  public Future<RegisterResponse> register(RegisterRequest request) {
    return unary(FederationGrpcClient.Register, request);
  }

  public Future<Task> getTask(TaskRequest request) {
    return unary(FederationGrpcClient.GetTask, request);
  }

  public Future<EvaluationReceipt> reportEvaluation(EvaluationReport report) {
    return unary(FederationGrpcClient.ReportEvaluation, report);
  }

  public Future<WithdrawReceipt> withdraw(WithdrawRequest request) {
    return unary(FederationGrpcClient.Withdraw, request);
  }

  public Future<List<CatalogueChunk>> downloadCatalogue(CatalogueRequest request) {
    List<CatalogueChunk> chunks = new ArrayList<>();
    return serverStream(FederationGrpcClient.DownloadCatalogue, request, chunks::add).map(v -> chunks);
  }

  /** Streams the model chunks into {@code sink} (called on the event loop, in order). */
  public Future<Void> downloadModel(ModelRequest request, Consumer<ModelChunk> sink) {
    return serverStream(FederationGrpcClient.DownloadModel, request, sink);
  }

  /** The server's secure-aggregation message for this client in a phase, reassembled from its chunks. */
  public Future<byte[]> secAggFetch(SecAggFetchRequest request) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    return serverStream(FederationGrpcClient.SecAggFetch, request, chunk -> {
      if (chunk.getOffset() != bytes.size()) {
        throw new IllegalStateException("secure aggregation chunk at offset " + chunk.getOffset()
            + ", expected " + bytes.size());
      }
      bytes.writeBytes(chunk.getData().toByteArray());
    }).map(v -> bytes.toByteArray());
  }

  /** Sends this client's secure-aggregation reply for a phase as one client stream. */
  public Future<SecAggReceipt> secAggSubmit(Iterator<SecAggChunk> chunks) {
    return client.request(address, FederationGrpcClient.SecAggSubmit).compose(request -> {
      request.timeout(callTimeoutSeconds, TimeUnit.SECONDS);
      Future<SecAggReceipt> result = request.response().compose(FederationStub::single);
      pump(request, chunks);
      return result;
    }, FederationStub::asRpcFailure);
  }

  /** Uploads {@code chunks} as one client stream, respecting flow control. */
  public Future<UploadReceipt> uploadUpdate(Iterator<UpdateChunk> chunks) {
    return client.request(address, FederationGrpcClient.UploadUpdate).compose(request -> {
      request.timeout(callTimeoutSeconds, TimeUnit.SECONDS);
      Future<UploadReceipt> result = request.response().compose(FederationStub::single);
      pump(request, chunks);
      return result;
    }, FederationStub::asRpcFailure);
  }

  /** Starts an upload, writes {@code count} chunks and then cancels the stream (a client that dies). */
  public Future<Void> uploadAndAbandon(Iterator<UpdateChunk> chunks, int count) {
    return client.request(address, FederationGrpcClient.UploadUpdate).compose(request -> {
      Future<Void> written = Future.succeededFuture();
      for (int i = 0; i < count && chunks.hasNext(); i++) {
        UpdateChunk chunk = chunks.next();
        written = written.compose(v -> request.write(chunk));
      }
      return written.andThen(ar -> request.cancel()).mapEmpty();
    });
  }

  private static <T> void pump(GrpcClientRequest<T, ?> request, Iterator<T> items) {
    while (items.hasNext()) {
      if (request.writeQueueFull()) {
        request.drainHandler(v -> pump(request, items));
        return;
      }
      T item = items.next();
      if (!items.hasNext()) {
        request.end(item);
        return;
      }
      request.write(item);
    }
  }

  private <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req message) {
    return client.request(address, method).compose(request -> {
      request.timeout(callTimeoutSeconds, TimeUnit.SECONDS);
      request.end(message);
      return request.response().compose(FederationStub::single);
    }).recover(FederationStub::asRpcFailure);
  }

  private <Req, Resp> Future<Void> serverStream(ServiceMethod<Resp, Req> method, Req message,
      Consumer<Resp> sink) {
    return client.request(address, method).compose(request -> {
      request.timeout(callTimeoutSeconds, TimeUnit.SECONDS);
      request.end(message);
      return request.response().compose(response -> {
        Promise<Void> done = Promise.promise();
        response.handler(sink::accept);
        response.exceptionHandler(done::tryFail);
        response.endHandler(v -> {
          if (response.status() == GrpcStatus.OK) {
            done.tryComplete();
          } else {
            done.tryFail(new RpcException(response.status(), response.statusMessage()));
          }
        });
        return done.future();
      });
    }).recover(FederationStub::asRpcFailure);
  }

  private static <Req, Resp> Future<Resp> single(GrpcClientResponse<Req, Resp> response) {
    Promise<Resp> result = Promise.promise();
    Object[] last = new Object[1];
    response.handler(message -> last[0] = message);
    response.exceptionHandler(result::tryFail);
    response.endHandler(v -> {
      if (response.status() != GrpcStatus.OK) {
        result.tryFail(new RpcException(response.status(), response.statusMessage()));
      } else if (last[0] == null) {
        result.tryFail(new RpcException(GrpcStatus.INTERNAL, "empty response"));
      } else {
        @SuppressWarnings("unchecked")
        Resp message = (Resp) last[0];
        result.tryComplete(message);
      }
    });
    return result.future();
  }

  private static <T> Future<T> asRpcFailure(Throwable error) {
    if (error instanceof RpcException) {
      return Future.failedFuture(error);
    }
    if (error instanceof io.vertx.grpc.common.GrpcErrorException grpc) {
      return Future.failedFuture(new RpcException(grpc.status(), grpc.getMessage()));
    }
    // Connection refused, reset, timeouts: the coordinator is not (yet) reachable.
    return Future.failedFuture(new RpcException(GrpcStatus.UNAVAILABLE, String.valueOf(error)));
  }

  @Override
  public void close() {
    client.close();
  }
}
