package io.interestfl.secagg.message;

/** Thrown by every {@code fromBytes} when the input is not a well-formed message of that type. */
public final class MalformedMessageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With the reason. */
  public MalformedMessageException(String message) {
    super(message);
  }

  /** With the reason and cause. */
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
