package io.interestfl.client.node;

import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.protocol.FederationStub;
import io.interestfl.security.IdentityBinding;
import io.interestfl.security.Pem;
import io.interestfl.security.PeerIdentity;
import io.vertx.core.http.HttpClientOptions;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.SecAggChunks;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.CatalogueChunk;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.CatalogueRequest;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.Metrics;
import io.interestfl.protocol.v1.ModelRequest;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.RegisterResponse;
import io.interestfl.protocol.v1.SecAggFetchRequest;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.protocol.v1.WithdrawReceipt;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * This node's calls to the coordinator, one method per RPC. Every call waits for its answer, retries
 * transient failures (coordinator restarting or unreachable) with backoff, and, once the catalogue has
 * been downloaded, registers again when a restarted coordinator no longer knows this node. A failure
 * that is not retried comes out as the {@link ExecutionException} of the call.
 */
final class CoordinatorLink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final ClientConfig config;
  private final byte[] identityKey;
  private final AtomicBoolean stopped;
  private final FederationStub stub;
  private long numExamples;
  private long numCustomers;
  /** Set once the catalogue has arrived: from then on an unknown node registers again. */
  private boolean catalogueReceived;

  /** A link for {@code config}'s node to its coordinator; {@code identityKey} is its SecAgg signing key. */
  CoordinatorLink(ClientConfig config, Vertx vertx, byte[] identityKey, AtomicBoolean stopped) {
    this.config = config;
    this.identityKey = identityKey;
    this.stopped = stopped;
    this.stub = new FederationStub(vertx,
        SocketAddress.inetSocketAddress(config.coordinatorPort(), config.coordinatorHost()), 120, tls(config));
  }

  /** Under mutual TLS: this node's signature, with its certificate's key, over its SecAgg identity key. */
  private byte[] identityKeySignature() {
    if (config.tls.insecure) {
      return new byte[0];
    }
    try {
      return IdentityBinding.sign(Pem.privateKey(config.resolve(config.tls.key)), config.federationId, config.name,
          identityKey);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("tls.key: " + e.getMessage(), e);
    }
  }

  /** Mutual TLS settings from the node's kit (null when the configuration says insecure). */
  private static HttpClientOptions tls(ClientConfig config) {
    if (config.tls.insecure) {
      LOG.warning(config.name + ": INSECURE: tls.insecure is true: talking to the coordinator in plaintext, "
          + "unauthenticated");
      return null;
    }
    String name;
    try {
      name = PeerIdentity.of(new java.security.cert.Certificate[] {Pem.certificate(config.resolve(config.tls.cert))});
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("tls.cert: " + e.getMessage(), e);
    }
    if (!config.name.equals(name)) {
      throw new IllegalArgumentException("tls.cert " + config.resolve(config.tls.cert) + " is for '" + name
          + "', but this node is '" + config.name + "': the coordinator only lets a node act as its certificate");
    }
    return FederationStub.mutualTls(config.resolve(config.tls.cert), config.resolve(config.tls.key),
        config.resolve(config.tls.caCert));
  }

  /** Joins the federation with {@code numExamples} baskets; returns the catalogue the coordinator published. */
  CatalogueInfo register(long numExamples, long numCustomers) throws Exception {
    this.numExamples = numExamples;
    this.numCustomers = numCustomers;
    RegisterResponse response = call(() -> stub.register(RegisterRequest.newBuilder()
        .setFederationId(config.federationId)
        .setClientName(config.name)
        .setRegion(config.region)
        .setNumExamples(numExamples)
        .setNumCustomers(numCustomers)
        .setIdentityKeySignature(com.google.protobuf.ByteString.copyFrom(identityKeySignature()))
        .setIdentityKey(com.google.protobuf.ByteString.copyFrom(identityKey))
        .build()));
    return response.getCatalogue();
  }

  /** The product codes of the shared catalogue, in catalogue order. */
  List<String> downloadCatalogue() throws Exception {
    List<CatalogueChunk> chunks = call(() -> stub.downloadCatalogue(CatalogueRequest.newBuilder()
        .setFederationId(config.federationId).setClientId(config.name).build()));
    List<String> codes = new ArrayList<>();
    chunks.forEach(chunk -> codes.addAll(chunk.getCodesList()));
    catalogueReceived = true;
    return codes;
  }

  /** What the coordinator wants this node to do now. */
  Task nextTask() throws Exception {
    return call(() -> stub.getTask(TaskRequest.newBuilder()
        .setFederationId(config.federationId).setClientId(config.name).build()));
  }

  /** Downloads model {@code version} of {@code length} values, checking every chunk's place in it. */
  float[] downloadModel(long roundId, long version, long length) throws Exception {
    float[] model = new float[Math.toIntExact(length)];
    int[] received = new int[1];
    call(() -> {
      received[0] = 0;
      return stub.downloadModel(ModelRequest.newBuilder().setFederationId(config.federationId)
          .setClientId(config.name).setRoundId(roundId).setModelVersion(version).build(), chunk -> {
            if (chunk.getTotalLength() != length || chunk.getOffset() != received[0]
                || chunk.getModelVersion() != version) {
              throw new IllegalStateException("inconsistent model chunk at offset " + chunk.getOffset()
                  + " (expected " + received[0] + " of " + length + ", v" + version + ")");
            }
            received[0] += FloatVectors.decodeInto(chunk.getData().asReadOnlyByteBuffer(), model, received[0]);
          });
    });
    if (received[0] != length) {
      throw new IllegalStateException("model v" + version + " download ended after " + received[0] + " of "
          + length + " values");
    }
    return model;
  }

  /** Sends {@code report} (federation and client filled in here). */
  void reportEvaluation(EvaluationReport.Builder report) throws Exception {
    call(() -> stub.reportEvaluation(report
        .setFederationId(config.federationId)
        .setClientId(config.name)
        .build()));
  }

  /** Uploads a plain (unmasked) update for {@code roundId} on model {@code modelVersion}. */
  void uploadUpdate(long roundId, long modelVersion, float[] delta, UpdateSummary summary) throws Exception {
    call(() -> stub.uploadUpdate(UpdateChunks.of(config.federationId, config.name, roundId,
        modelVersion, delta, summary).iterator()));
  }

  /** The server's message of {@code phase} of {@code roundId}'s secure aggregation. */
  byte[] secAggFetch(long roundId, SecAggPhase phase) throws Exception {
    return call(() -> stub.secAggFetch(SecAggFetchRequest.newBuilder().setFederationId(config.federationId)
        .setClientId(config.name).setRoundId(roundId).setPhase(phase).build()));
  }

  /** Sends this node's answer to {@code phase}, with the masking time it reports in that phase. */
  void secAggSubmit(long roundId, SecAggPhase phase, byte[] message, double maskingMillis) throws Exception {
    call(() -> stub.secAggSubmit(SecAggChunks.of(config.federationId, config.name, roundId, phase,
        message).stream().map(c -> c.toBuilder().setMaskingMillis(maskingMillis).build()).iterator()));
  }

  /** Tells the coordinator this node will not train again. */
  WithdrawReceipt withdraw(String reason) throws Exception {
    return call(() -> stub.withdraw(WithdrawRequest.newBuilder().setFederationId(config.federationId)
        .setClientId(config.name).setReason(reason).build()));
  }

  /** {@code metrics} as sent on the wire. */
  static Metrics toProto(RankingMetrics metrics) {
    return Metrics.newBuilder()
        .setHitRateAt10(metrics.hitRate())
        .setNdcgAt10(metrics.ndcg())
        .setMrr(metrics.mrr())
        .setNumUsers(metrics.users())
        .build();
  }

  /**
   * Waits for a call; retries transient failures with backoff, and re-registers when a restarted
   * coordinator no longer knows this node.
   */
  private <T> T call(Callable<Future<T>> attempt) throws Exception {
    long backoff = 200;
    while (true) {
      try {
        return attempt.call().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        if (stopped.get() || !(e.getCause() instanceof RpcException rpc)) {
          throw e;
        }
        if (rpc.status() == GrpcStatus.UNAUTHENTICATED && catalogueReceived) {
          LOG.warning(config.name + ": coordinator does not know this node (restarted?), registering again");
          register(numExamples, numCustomers);
        } else if (!rpc.isTransient()) {
          throw e;
        } else {
          LOG.fine(config.name + ": " + rpc.getMessage() + ", retrying in " + backoff + " ms");
        }
        Thread.sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  @Override
  public void close() {
    stub.close();
  }
}
