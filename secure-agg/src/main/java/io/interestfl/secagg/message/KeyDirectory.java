package io.interestfl.secagg.message;

import java.util.List;

/**
 * Phase 1 broadcast (server to every client that advertised): all accepted advertisements,
 * ascending by client id. Every client hashes the whole list into the session id, so a server
 * that shows different clients different lists splits them into sessions whose keys and masks do
 * not match.
 *
 * @param roundId round number
 * @param entries the advertisements of U1, strictly ascending by client id
 */
public record KeyDirectory(long roundId, List<AdvertiseKeys> entries) implements ServerMessage {
  /** Validates ordering. */
  public KeyDirectory {
    entries = List.copyOf(entries);
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).roundId() != roundId) {
        throw new IllegalArgumentException("entry " + i + " belongs to round " + entries.get(i).roundId());
      }
      if (i > 0 && entries.get(i).clientId() <= entries.get(i - 1).clientId()) {
        throw new IllegalArgumentException("entries must be strictly ascending by client id");
      }
    }
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.KEY_DIRECTORY, 16 + entries.size() * AdvertiseKeys.ENCODED_BODY)
        .i64(roundId).list(entries, (w, e) -> e.write(w)).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static KeyDirectory fromBytes(byte[] data) {
    return Wire.decode("KeyDirectory", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.KEY_DIRECTORY, "KeyDirectory");
      long round = r.i64();
      List<AdvertiseKeys> e = r.list(Wire.MAX_IDS, AdvertiseKeys.ENCODED_BODY, "entries", AdvertiseKeys::read);
      r.end();
      return new KeyDirectory(round, e);
    });
  }
}
