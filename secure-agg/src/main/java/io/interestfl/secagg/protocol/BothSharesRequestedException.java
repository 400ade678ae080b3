package io.interestfl.secagg.protocol;

/** The server asked for both secrets of one client (it is listed as alive and as dropped): revealing both would unmask that client's input. The client aborts without revealing anything. */
public class BothSharesRequestedException extends InconsistentSurvivorsException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public BothSharesRequestedException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public BothSharesRequestedException(String message, Throwable cause) {
    super(message, cause);
  }
}
