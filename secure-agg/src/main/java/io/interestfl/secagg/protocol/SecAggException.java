package io.interestfl.secagg.protocol;

/**
 * Base of every protocol failure. Subclasses say what went wrong; none of them carries secret
 * material in its message.
 */
public class SecAggException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public SecAggException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public SecAggException(String message, Throwable cause) {
    super(message, cause);
  }
}
