package io.interestfl.secagg.message;

/**
 * Phase 3 reply (client to server): the client's Ed25519 signature over (label, round id,
 * session id, survivor list).
 *
 * @param roundId round number
 * @param sessionId session id
 * @param clientId signer
 * @param signature 64 bytes
 */
public record ConsistencySignature(long roundId, byte[] sessionId, int clientId, byte[] signature)
    implements ClientMessage {
  /** Validates. */
  public ConsistencySignature {
    Wire.requireLength(sessionId, 32, "sessionId");
    Wire.requireLength(signature, AdvertiseKeys.SIGNATURE_LENGTH, "signature");
    if (clientId <= 0) {
      throw new IllegalArgumentException("clientId must be positive, got " + clientId);
    }
  }

  @Override
  public byte[] toBytes() {
    return new Wire.Writer(Wire.CONSISTENCY_SIGNATURE, 120)
        .i64(roundId).fixed(sessionId, 32).i32(clientId).fixed(signature, 64).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static ConsistencySignature fromBytes(byte[] data) {
    return Wire.decode("ConsistencySignature", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.CONSISTENCY_SIGNATURE, "ConsistencySignature");
      ConsistencySignature m = new ConsistencySignature(r.i64(), r.fixed(32), r.i32(), r.fixed(64));
      r.end();
      return m;
    });
  }
}
