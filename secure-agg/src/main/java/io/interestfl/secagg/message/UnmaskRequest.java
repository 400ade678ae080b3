package io.interestfl.secagg.message;

import java.util.List;

/**
 * Phase 4 request (server to each client of U4, individually): which neighbours survived (reveal
 * their self-mask seed share) and which dropped after sharing keys (reveal their masking-key
 * share), with the consistency signatures of the recipient's neighbours over {@code alive}.
 *
 * @param roundId round number
 * @param sessionId session id
 * @param recipient addressed client
 * @param alive U3 (must equal the list the recipient signed), strictly ascending
 * @param dropped U2 \ U3, strictly ascending, disjoint from alive
 * @param signatures consistency signatures of the recipient's neighbours (and itself) in U4
 */
public record UnmaskRequest(
    long roundId, byte[] sessionId, int recipient, int[] alive, int[] dropped,
    List<SurvivorSignature> signatures) implements ServerMessage {

  /**
   * One client's signature over the survivor list.
   *
   * @param clientId signer
   * @param signature 64 bytes
   */
  public record SurvivorSignature(int clientId, byte[] signature) {
    /** Validates. */
    public SurvivorSignature {
      Wire.requireLength(signature, AdvertiseKeys.SIGNATURE_LENGTH, "signature");
    }
  }

  /** Validates encodable shape (the semantic checks are the client's job). */
  public UnmaskRequest {
    Wire.requireLength(sessionId, 32, "sessionId");
    Wire.requireSortedPositiveIds(alive, "alive");
    Wire.requireSortedPositiveIds(dropped, "dropped");
    signatures = List.copyOf(signatures);
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.UNMASK_REQUEST, 64 + 4 * (alive.length + dropped.length) + 68 * signatures.size())
        .i64(roundId).fixed(sessionId, 32).i32(recipient).ids(alive).ids(dropped)
        .list(signatures, (w, s) -> w.i32(s.clientId()).fixed(s.signature(), 64)).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static UnmaskRequest fromBytes(byte[] data) {
    return Wire.decode("UnmaskRequest", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.UNMASK_REQUEST, "UnmaskRequest");
      UnmaskRequest m = new UnmaskRequest(r.i64(), r.fixed(32), r.i32(), r.ids("alive"), r.ids("dropped"),
          r.list(Wire.MAX_IDS, 68, "signatures", x -> new SurvivorSignature(x.i32(), x.fixed(64))));
      r.end();
      return m;
    });
  }
}
