package io.interestfl.secagg.protocol;

/** Fewer clients than the threshold remain (globally or among a client's neighbours); the round aborts and nothing more is revealed. */
public class TooFewSurvivorsException extends SecAggException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public TooFewSurvivorsException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public TooFewSurvivorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
