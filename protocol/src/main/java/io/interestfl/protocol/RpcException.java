package io.interestfl.protocol;

import io.vertx.grpc.common.GrpcStatus;

/** A call that ended with a non-OK gRPC status; keeps the status and the server's message. */
public final class RpcException extends RuntimeException {
  private final GrpcStatus status;

  public RpcException(GrpcStatus status, String message) {
    super(status + ": " + (message == null ? "" : message));
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  /** Transient failures worth retrying: the coordinator is unreachable, restarting or busy. */
  public boolean isTransient() {
    return status == GrpcStatus.UNAVAILABLE || status == GrpcStatus.RESOURCE_EXHAUSTED
        || status == GrpcStatus.DEADLINE_EXCEEDED;
  }
}
