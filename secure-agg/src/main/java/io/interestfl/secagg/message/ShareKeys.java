package io.interestfl.secagg.message;

import java.util.List;

/**
 * Phase 1 reply (client to server): one {@link EncryptedShare} per neighbour that advertised.
 *
 * @param roundId round number
 * @param sessionId the 32-byte session id the client derived
 * @param clientId sender
 * @param shares sealed shares, all with {@code from == clientId}
 */
public record ShareKeys(long roundId, byte[] sessionId, int clientId, List<EncryptedShare> shares)
    implements ClientMessage {
  /** Validates. */
  public ShareKeys {
    Wire.requireLength(sessionId, 32, "sessionId");
    shares = List.copyOf(shares);
    for (EncryptedShare s : shares) {
      if (s.from() != clientId) {
        throw new IllegalArgumentException("share from " + s.from() + " in message of client " + clientId);
      }
    }
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.SHARE_KEYS, 64 + shares.size() * 160)
        .i64(roundId).fixed(sessionId, 32).i32(clientId).list(shares, (w, s) -> s.write(w)).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static ShareKeys fromBytes(byte[] data) {
    return Wire.decode("ShareKeys", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.SHARE_KEYS, "ShareKeys");
      ShareKeys m = new ShareKeys(r.i64(), r.fixed(32), r.i32(),
          r.list(Wire.MAX_IDS, EncryptedShare.MIN_ENCODED, "shares", EncryptedShare::read));
      r.end();
      return m;
    });
  }
}
