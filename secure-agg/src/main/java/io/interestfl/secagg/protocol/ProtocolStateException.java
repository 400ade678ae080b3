package io.interestfl.secagg.protocol;

/** A message or call arrived in a phase that does not accept it (out of order, duplicate phase, after an abort). The party's state is unchanged. */
public class ProtocolStateException extends SecAggException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public ProtocolStateException(String message) {
    super(message);
  }

  /** With a message and cause. */
  public ProtocolStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
