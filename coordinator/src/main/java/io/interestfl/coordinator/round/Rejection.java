package io.interestfl.coordinator.round;

import io.vertx.grpc.common.GrpcStatus;

/**
 * A request the coordinator refuses, with the gRPC status the client gets and a message that says
 * what was wrong. Throwing it never changes the state of a round.
 */
public final class Rejection extends RuntimeException {
  private final GrpcStatus status;

  public Rejection(GrpcStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  static Rejection invalid(String message) {
    return new Rejection(GrpcStatus.INVALID_ARGUMENT, message);
  }

  static Rejection stale(String message) {
    return new Rejection(GrpcStatus.FAILED_PRECONDITION, message);
  }
}
