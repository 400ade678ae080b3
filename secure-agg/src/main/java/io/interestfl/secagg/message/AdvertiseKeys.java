package io.interestfl.secagg.message;

/**
 * Phase 0 reply (client to server): the client's two fresh X25519 public keys, signed with its
 * long-term Ed25519 identity over (round-start digest, hash of the model it received, id, keys).
 *
 * @param roundId round number
 * @param clientId sender
 * @param encryptionKey X25519 public key c_u^PK for share encryption (32 bytes)
 * @param maskingKey X25519 public key s_u^PK for pairwise masks (32 bytes)
 * @param signature Ed25519 signature (64 bytes)
 */
public record AdvertiseKeys(
    long roundId, int clientId, byte[] encryptionKey, byte[] maskingKey, byte[] signature)
    implements ClientMessage {
  /** Encoded length of a public key. */
  public static final int KEY_LENGTH = 32;
  /** Encoded length of a signature. */
  public static final int SIGNATURE_LENGTH = 64;

  /** Validates lengths. */
  public AdvertiseKeys {
    if (clientId <= 0) {
      throw new IllegalArgumentException("clientId must be positive, got " + clientId);
    }
    Wire.requireLength(encryptionKey, KEY_LENGTH, "encryptionKey");
    Wire.requireLength(maskingKey, KEY_LENGTH, "maskingKey");
    Wire.requireLength(signature, SIGNATURE_LENGTH, "signature");
  }

  @Override
  public byte[] toBytes() {
    Wire.Writer w = new Wire.Writer(Wire.ADVERTISE_KEYS, 150);
    write(w);
    return w.bytes();
  }

  void write(Wire.Writer w) {
    w.i64(roundId).i32(clientId).fixed(encryptionKey, KEY_LENGTH).fixed(maskingKey, KEY_LENGTH)
        .fixed(signature, SIGNATURE_LENGTH);
  }

  static AdvertiseKeys read(Wire.Reader r) {
    return new AdvertiseKeys(r.i64(), r.i32(), r.fixed(KEY_LENGTH), r.fixed(KEY_LENGTH),
        r.fixed(SIGNATURE_LENGTH));
  }

  static final int ENCODED_BODY = 8 + 4 + 32 + 32 + 64;

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static AdvertiseKeys fromBytes(byte[] data) {
    return Wire.decode("AdvertiseKeys", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.ADVERTISE_KEYS, "AdvertiseKeys");
      AdvertiseKeys m = read(r);
      r.end();
      return m;
    });
  }
}
