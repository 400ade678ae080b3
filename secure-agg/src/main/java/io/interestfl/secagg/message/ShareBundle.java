package io.interestfl.secagg.message;

import java.util.List;

/**
 * Phase 2 request (server to each client of U2, individually): the shares addressed to it, and
 * the list U2 of clients whose shares were collected. The client masks with exactly its
 * neighbours in U2.
 *
 * @param roundId round number
 * @param sessionId session id
 * @param recipient the addressed client
 * @param shareSenders U2, strictly ascending
 * @param shares sealed shares with {@code to == recipient}
 */
public record ShareBundle(
    long roundId, byte[] sessionId, int recipient, int[] shareSenders, List<EncryptedShare> shares)
    implements ServerMessage {
  /** Validates. */
  public ShareBundle {
    Wire.requireLength(sessionId, 32, "sessionId");
    Wire.requireSortedPositiveIds(shareSenders, "shareSenders");
    shares = List.copyOf(shares);
    for (EncryptedShare s : shares) {
      if (s.to() != recipient) {
        throw new IllegalArgumentException("share for " + s.to() + " in bundle of client " + recipient);
      }
    }
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.SHARE_BUNDLE, 64 + 4 * shareSenders.length + shares.size() * 160)
        .i64(roundId).fixed(sessionId, 32).i32(recipient).ids(shareSenders)
        .list(shares, (w, s) -> s.write(w)).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static ShareBundle fromBytes(byte[] data) {
    return Wire.decode("ShareBundle", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.SHARE_BUNDLE, "ShareBundle");
      ShareBundle m = new ShareBundle(r.i64(), r.fixed(32), r.i32(), r.ids("shareSenders"),
          r.list(Wire.MAX_IDS, EncryptedShare.MIN_ENCODED, "shares", EncryptedShare::read));
      r.end();
      return m;
    });
  }
}
