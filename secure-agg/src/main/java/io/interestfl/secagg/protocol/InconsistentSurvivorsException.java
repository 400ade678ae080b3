package io.interestfl.secagg.protocol;

/** The server's survivor lists are inconsistent: they differ from what this client signed in the consistency check, name a neighbour that is neither alive nor dropped, or carry too few neighbour signatures. The client aborts without revealing anything. */
public class InconsistentSurvivorsException extends SecAggException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public InconsistentSurvivorsException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public InconsistentSurvivorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
