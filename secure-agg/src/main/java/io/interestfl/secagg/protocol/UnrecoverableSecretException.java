package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.UnmaskResponse.SecretKind;

/**
 * The server could not reconstruct a secret it needs: fewer than t holders answered, or the shares
 * were inconsistent. The round aborts before any mask is removed, so no input is revealed.
 */
public class UnrecoverableSecretException extends SecAggException {
  private static final long serialVersionUID = 1L;
  private final int clientId;
  private final SecretKind kind;

  /** For client {@code clientId}'s secret {@code kind}. */
  public UnrecoverableSecretException(int clientId, SecretKind kind, String detail) {
    super("cannot recover " + kind + " of client " + clientId + ": " + detail);
    this.clientId = clientId;
    this.kind = kind;
  }

  /** Whose secret. */
  public int clientId() {
    return clientId;
  }

  /** Which secret. */
  public SecretKind kind() {
    return kind;
  }
}
