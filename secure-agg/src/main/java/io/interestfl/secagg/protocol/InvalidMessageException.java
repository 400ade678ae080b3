package io.interestfl.secagg.protocol;

/** A well-formed message whose content violates the protocol (unknown or unexpected sender, wrong vector length, a share for a non-neighbour, altered keys). The receiving client aborts; the server rejects the message. */
public class InvalidMessageException extends SecAggException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public InvalidMessageException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
