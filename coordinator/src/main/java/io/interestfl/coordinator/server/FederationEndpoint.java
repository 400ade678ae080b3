package io.interestfl.coordinator.server;

import com.google.protobuf.ByteString;
import io.interestfl.coordinator.round.Rejection;
import io.interestfl.coordinator.round.ClientRequests;
import io.interestfl.coordinator.round.RoundController;
import io.interestfl.coordinator.round.UploadSession;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.CatalogueChunk;
import io.interestfl.protocol.v1.EvaluationReceipt;
import io.interestfl.protocol.v1.FederationGrpcService;
import io.interestfl.protocol.SecAggChunks;
import io.interestfl.protocol.v1.ModelChunk;
import io.interestfl.protocol.v1.SecAggChunk;
import io.interestfl.protocol.v1.SecAggReceipt;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.security.PeerIdentity;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds the Federation gRPC service to the {@link RoundController} (withdrawals, update streams)
 * and its {@link ClientRequests} (everything else): decodes requests, turns
 * {@link Rejection}s into gRPC statuses with their message, and streams models and catalogues in
 * chunks with flow control. Nothing here decides anything about rounds.
 */
final class FederationEndpoint {
  private static final Logger LOG = Logger.getLogger(FederationEndpoint.class.getName());
  private static final int CATALOGUE_CODES_PER_CHUNK = 8192;
  private final RoundController rounds;
  private final ClientRequests clients;
  private final String federationId;
  /** True under mutual TLS: every request must come from the node it names. */
  private final boolean authenticate;

  FederationEndpoint(RoundController rounds, String federationId, boolean authenticate) {
    this.rounds = rounds;
    this.clients = rounds.clients();
    this.federationId = federationId;
    this.authenticate = authenticate;
  }

  /** The certificate the connection authenticated with (null without mutual TLS). */
  private java.security.cert.X509Certificate peerCertificate(GrpcServerRequest<?, ?> request) {
    if (!authenticate) {
      return null;
    }
    try {
      var chain = request.connection().peerCertificates();
      return chain.isEmpty() || !(chain.get(0) instanceof java.security.cert.X509Certificate leaf) ? null : leaf;
    } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The decoded message, once its sender is authorised: under mutual TLS the node named in the message
   * ({@code client_id}, or {@code client_name} when registering) must be the common name of the certificate the
   * connection authenticated with, so a node can only act as itself.
   */
  private <T> T authorized(GrpcServerRequest<?, ?> request, Decoded<T> decoded) {
    T message = decoded.orReject(request.methodName());
    if (!authenticate) {
      return message;
    }
    java.security.cert.X509Certificate certificate = peerCertificate(request);
    String peer = certificate == null ? null : PeerIdentity.of(new java.security.cert.Certificate[] {certificate});
    if (peer == null) {
      throw new Rejection(GrpcStatus.UNAUTHENTICATED, "no client certificate on this connection");
    }
    if (message instanceof com.google.protobuf.Message m) {
      for (String field : new String[] {"client_id", "client_name"}) {
        var descriptor = m.getDescriptorForType().findFieldByName(field);
        if (descriptor != null) {
          Object claimed = m.getField(descriptor);
          if (!peer.equals(claimed)) {
            throw new Rejection(GrpcStatus.PERMISSION_DENIED, "authenticated as '" + peer + "' but the request "
                + "names '" + claimed + "': a node can only act as itself");
          }
        }
      }
    }
    return message;
  }

  void bind(GrpcServer server) {
    server.callHandler(Decoded.tolerant(FederationGrpcService.Register), request -> {
      rejectMalformed(request);
      request.handler(decoded -> guard(request.response(),
          () -> request.response().end(clients.register(authorized(request, decoded), peerCertificate(request)))));
    });
    unary(server, FederationGrpcService.GetTask, clients::task);
    unary(server, FederationGrpcService.Withdraw, rounds::withdraw);
    unary(server, FederationGrpcService.ReportEvaluation, report -> {
      clients.report(report);
      return EvaluationReceipt.newBuilder().setFederationId(federationId).build();
    });
    server.callHandler(Decoded.tolerant(FederationGrpcService.DownloadCatalogue), request -> {
      rejectMalformed(request);
      request.handler(decoded -> guard(request.response(), () -> {
        var message = authorized(request, decoded);
        if (!federationId.equals(message.getFederationId())) {
          throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "unknown federation '" + message.getFederationId() + "'");
        }
        List<String> codes = clients.catalogue().codes();
        GrpcServerResponse<?, CatalogueChunk> response = request.response();
        for (int from = 0; from < codes.size(); from += CATALOGUE_CODES_PER_CHUNK) {
          response.write(CatalogueChunk.newBuilder().setFederationId(federationId)
              .addAllCodes(codes.subList(from, Math.min(codes.size(), from + CATALOGUE_CODES_PER_CHUNK))).build());
        }
        response.end();
      }));
    });
    server.callHandler(Decoded.tolerant(FederationGrpcService.DownloadModel), request -> {
      rejectMalformed(request);
      request.handler(decoded -> guard(request.response(), () -> {
        var message = authorized(request, decoded);
        float[] model = clients.model(message.getFederationId(), message.getClientId(), message.getModelVersion());
        streamModel(request.response(), model, message.getRoundId(), message.getModelVersion(), 0);
      }));
    });
    server.callHandler(Decoded.tolerant(FederationGrpcService.UploadUpdate), this::upload);
    server.callHandler(Decoded.tolerant(FederationGrpcService.SecAggFetch), request -> {
      rejectMalformed(request);
      request.handler(decoded -> guard(request.response(), () -> {
        var message = authorized(request, decoded);
        byte[] payload = clients.secAggPayload(message.getFederationId(), message.getClientId(), message.getRoundId(),
            message.getPhase());
        for (SecAggChunk chunk : SecAggChunks.of(federationId, message.getClientId(), message.getRoundId(),
            message.getPhase(), payload)) {
          request.response().write(chunk);
        }
        request.response().end();
      }));
    });
    server.callHandler(Decoded.tolerant(FederationGrpcService.SecAggSubmit), this::secAggSubmit);
  }

  /** Reassembles one SecAgg+ reply from its chunks, then hands it to the round in one piece. */
  private void secAggSubmit(GrpcServerRequest<Decoded<SecAggChunk>, SecAggReceipt> request) {
    rejectMalformed(request);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    SecAggChunk[] first = new SecAggChunk[1];
    boolean[] failed = new boolean[1];
    request.handler(decoded -> {
      if (failed[0]) {
        return;
      }
      try {
        SecAggChunk chunk = authorized(request, decoded);
        if (first[0] == null) {
          first[0] = chunk;
          if (chunk.getTotalBytes() < 0 || chunk.getTotalBytes() > clients.maxSecAggMessageBytes()) {
            throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "secure aggregation message of " + chunk.getTotalBytes()
                + " bytes (at most " + clients.maxSecAggMessageBytes() + ")");
          }
        }
        if (!chunk.getClientId().equals(first[0].getClientId()) || chunk.getRoundId() != first[0].getRoundId()
            || chunk.getPhase() != first[0].getPhase() || chunk.getTotalBytes() != first[0].getTotalBytes()
            || chunk.getOffset() != bytes.size() || bytes.size() + chunk.getData().size() > chunk.getTotalBytes()) {
          throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "secure aggregation chunk at offset " + chunk.getOffset()
              + " does not continue the stream (expected offset " + bytes.size() + ")");
        }
        bytes.writeBytes(chunk.getData().toByteArray());
      } catch (RuntimeException e) {
        failed[0] = true;
        fail(request.response(), e);
      }
    });
    request.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      guard(request.response(), () -> {
        if (first[0] == null || bytes.size() != first[0].getTotalBytes()) {
          throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "secure aggregation message incomplete ("
              + bytes.size() + " bytes)");
        }
        SecAggChunk head = first[0];
        clients.secAggSubmit(head.getFederationId(), head.getClientId(), head.getRoundId(), head.getPhase(),
            bytes.toByteArray(), head.getMaskingMillis());
        request.response().end(SecAggReceipt.newBuilder().setFederationId(federationId)
            .setRoundId(head.getRoundId()).setPhase(head.getPhase()).build());
      });
    });
  }

  private void streamModel(GrpcServerResponse<?, ModelChunk> response, float[] model, long roundId, long version,
      int from) {
    int offset = from;
    while (offset < model.length) {
      if (response.writeQueueFull()) {
        int resumeAt = offset;
        response.drainHandler(v -> streamModel(response, model, roundId, version, resumeAt));
        return;
      }
      int length = Math.min(FederationStub.CHUNK_FLOATS, model.length - offset);
      response.write(ModelChunk.newBuilder()
          .setFederationId(federationId)
          .setRoundId(roundId)
          .setModelVersion(version)
          .setOffset(offset)
          .setTotalLength(model.length)
          .setData(ByteString.copyFrom(FloatVectors.toBytes(model, offset, length)))
          .build());
      offset += length;
    }
    response.end();
  }

  private void upload(GrpcServerRequest<Decoded<UpdateChunk>, io.interestfl.protocol.v1.UploadReceipt> request) {
    rejectMalformed(request);
    UploadSession[] session = new UploadSession[1];
    boolean[] failed = new boolean[1];
    request.handler(decoded -> {
      if (failed[0]) {
        return;
      }
      try {
        UpdateChunk chunk = authorized(request, decoded);
        if (session[0] == null) {
          session[0] = rounds.beginUpload(chunk);
        }
        session[0].append(chunk);
      } catch (RuntimeException e) {
        failed[0] = true;
        if (session[0] != null) {
          rounds.abandonUpload(session[0]);
        }
        fail(request.response(), e);
      }
    });
    request.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      if (session[0] == null) {
        fail(request.response(), new Rejection(GrpcStatus.INVALID_ARGUMENT, "empty update stream"));
        return;
      }
      guard(request.response(), () -> request.response().end(rounds.finishUpload(session[0])));
    });
    request.exceptionHandler(error -> {
      // The client went away mid-stream (reset, cancel, connection loss): drop what was staged.
      if (session[0] != null) {
        LOG.info("update stream of client " + session[0].clientId() + " broke off: " + error.getMessage());
        rounds.abandonUpload(session[0]);
      }
    });
  }

  private <Req, Resp> void unary(GrpcServer server, io.vertx.grpc.common.ServiceMethod<Req, Resp> method,
      Function<Req, Resp> handler) {
    server.callHandler(Decoded.tolerant(method), request -> {
      rejectMalformed(request);
      request.handler(decoded -> guard(request.response(),
          () -> request.response().end(handler.apply(authorized(request, decoded)))));
    });
  }

  private static void rejectMalformed(GrpcServerRequest<?, ?> request) {
    request.invalidMessageHandler(invalid -> fail(request.response(),
        new Rejection(GrpcStatus.INVALID_ARGUMENT, "malformed " + request.methodName() + " message: "
            + invalid.getMessage())));
  }

  private static void guard(GrpcServerResponse<?, ?> response, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      fail(response, e);
    }
  }

  private static void fail(GrpcServerResponse<?, ?> response, Throwable error) {
    GrpcStatus status;
    String message;
    if (error instanceof Rejection rejection) {
      status = rejection.status();
      message = rejection.getMessage();
    } else {
      // A bug, not a bad request: keep serving, but say so loudly.
      LOG.log(Level.SEVERE, "internal error while serving a request", error);
      status = GrpcStatus.INTERNAL;
      message = "internal error: " + error;
    }
    try {
      response.status(status).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      LOG.fine("response already ended: " + alreadyEnded.getMessage());
    }
  }
}
