package io.interestfl.secagg.message;

import java.util.List;

/**
 * Phase 4 reply (client to server): exactly one decrypted share per neighbour named in the
 * request (and the client's own self-mask share).
 *
 * @param roundId round number
 * @param sessionId session id
 * @param clientId sender (the share holder; its id is the Shamir evaluation point)
 * @param shares revealed shares
 */
public record UnmaskResponse(long roundId, byte[] sessionId, int clientId, List<RevealedShare> shares)
    implements ClientMessage {

  /** Which secret a share belongs to. */
  public enum SecretKind {
    /** b_u, revealed for survivors. */
    SELF_MASK_SEED,
    /** s_u^SK, revealed for clients that dropped after sharing keys. */
    MASKING_KEY
  }

  /**
   * One revealed share.
   *
   * @param owner whose secret
   * @param kind which secret
   * @param share 33-byte share value
   */
  public record RevealedShare(int owner, SecretKind kind, byte[] share) {
    /** Validates. */
    public RevealedShare {
      if (owner <= 0) {
        throw new IllegalArgumentException("owner must be positive");
      }
      if (kind == null) {
        throw new IllegalArgumentException("kind is required");
      }
      Wire.requireLength(share, 33, "share");
    }
  }

  /** Validates. */
  public UnmaskResponse {
    Wire.requireLength(sessionId, 32, "sessionId");
    shares = List.copyOf(shares);
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.UNMASK_RESPONSE, 64 + 38 * shares.size())
        .i64(roundId).fixed(sessionId, 32).i32(clientId)
        .list(shares, (w, s) -> w.i32(s.owner()).u8(s.kind().ordinal()).fixed(s.share(), 33)).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static UnmaskResponse fromBytes(byte[] data) {
    return Wire.decode("UnmaskResponse", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.UNMASK_RESPONSE, "UnmaskResponse");
      UnmaskResponse m = new UnmaskResponse(r.i64(), r.fixed(32), r.i32(),
          r.list(Wire.MAX_IDS, 38, "shares", x -> {
            int owner = x.i32();
            int kind = x.u8();
            if (kind >= SecretKind.values().length) {
              throw x.error("unknown secret kind " + kind);
            }
            return new RevealedShare(owner, SecretKind.values()[kind], x.fixed(33));
          }));
      r.end();
      return m;
    });
  }
}
