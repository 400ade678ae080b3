package io.interestfl.secagg.protocol;

/** A message carries another round id or session id: a replay from an earlier round or session, or a message from a client in a split view. Rejected without changing state. */
public class WrongSessionException extends SecAggException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public WrongSessionException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public WrongSessionException(String message, Throwable cause) {
    super(message, cause);
  }
}
