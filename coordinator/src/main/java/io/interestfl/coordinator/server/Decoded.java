package io.interestfl.coordinator.server;

import io.interestfl.coordinator.round.Rejection;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;

/**
 * A request message or the reason it could not be parsed. Vert.x resets the stream (CANCELLED) when
 * a protobuf fails to decode; wrapping the decoder lets the coordinator answer INVALID_ARGUMENT with
 * the parser's message instead, so a client with a broken encoder learns what is wrong.
 */
record Decoded<T>(T message, String error) {
  T orReject(String method) {
    if (error != null) {
      throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "malformed " + method + " message: " + error);
    }
    return message;
  }

  static <Req, Resp> ServiceMethod<Decoded<Req>, Resp> tolerant(ServiceMethod<Req, Resp> method) {
    GrpcMessageDecoder<Req> strict = method.decoder();
    GrpcMessageDecoder<Decoded<Req>> decoder = new GrpcMessageDecoder<>() {
      @Override
      public Decoded<Req> decode(GrpcMessage message) {
        try {
          return new Decoded<>(strict.decode(message), null);
        } catch (RuntimeException e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          return new Decoded<>(null, cause.getMessage());
        }
      }

      @Override
      public boolean accepts(WireFormat format) {
        return strict.accepts(format);
      }
    };
    return ServiceMethod.server(method.serviceName(), method.methodName(), method.encoder(), decoder);
  }
}
