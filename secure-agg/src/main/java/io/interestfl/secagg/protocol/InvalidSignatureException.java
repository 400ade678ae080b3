package io.interestfl.secagg.protocol;

/** An Ed25519 signature (advertised keys or survivor list) does not verify for the named client. */
public class InvalidSignatureException extends SecAggException {
  private static final long serialVersionUID = 1L;
  private final int clientId;

  /** For {@code clientId}, describing what was signed. */
  public InvalidSignatureException(int clientId, String what) {
    super("invalid signature of client " + clientId + " on " + what);
    this.clientId = clientId;
  }

  /** The client whose signature failed. */
  public int clientId() {
    return clientId;
  }
}
