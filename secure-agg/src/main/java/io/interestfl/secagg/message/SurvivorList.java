package io.interestfl.secagg.message;

/**
 * Phase 3 request (server to every client of U3): the clients whose masked inputs are in the
 * sum. Each client signs this exact list (consistency check).
 *
 * @param roundId round number
 * @param sessionId session id
 * @param survivors U3, strictly ascending
 */
public record SurvivorList(long roundId, byte[] sessionId, int[] survivors) implements ServerMessage {
  /** Validates. */
  public SurvivorList {
    Wire.requireLength(sessionId, 32, "sessionId");
    Wire.requireSortedPositiveIds(survivors, "survivors");
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.SURVIVOR_LIST, 64 + 4 * survivors.length)
        .i64(roundId).fixed(sessionId, 32).ids(survivors).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static SurvivorList fromBytes(byte[] data) {
    return Wire.decode("SurvivorList", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.SURVIVOR_LIST, "SurvivorList");
      SurvivorList m = new SurvivorList(r.i64(), r.fixed(32), r.ids("survivors"));
      r.end();
      return m;
    });
  }
}
