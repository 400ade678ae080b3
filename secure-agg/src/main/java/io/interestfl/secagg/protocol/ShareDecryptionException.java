package io.interestfl.secagg.protocol;

/**
 * An encrypted share does not authenticate (AES-GCM tag mismatch): it was encrypted for another
 * receiver, round or session (e.g. the sender saw a different global model, hence a different
 * session id), or it was tampered with. The receiving client aborts.
 */
public class ShareDecryptionException extends SecAggException {
  private static final long serialVersionUID = 1L;
  private final int from;
  private final int to;

  /** For the share {@code from -> to}. */
  public ShareDecryptionException(int from, int to, Throwable cause) {
    super("share from client " + from + " to client " + to
        + " failed authentication (different session, receiver or tampered)", cause);
    this.from = from;
    this.to = to;
  }

  /** Sender of the share. */
  public int from() {
    return from;
  }

  /** Intended receiver. */
  public int to() {
    return to;
  }
}
