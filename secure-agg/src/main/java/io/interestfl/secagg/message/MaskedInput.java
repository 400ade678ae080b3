package io.interestfl.secagg.message;

/**
 * Phase 2 reply (client to server): the masked input y_u, b-bit words bit-packed (little-endian
 * bit order) so that the upload is m*b/8 bytes.
 *
 * @param roundId round number
 * @param sessionId session id
 * @param clientId sender
 * @param bitWidth b
 * @param vector words, each in [0, 2^b)
 */
public record MaskedInput(long roundId, byte[] sessionId, int clientId, int bitWidth, int[] vector)
    implements ClientMessage {
  /** Validates. */
  public MaskedInput {
    Wire.requireLength(sessionId, 32, "sessionId");
    if (bitWidth < 1 || bitWidth > 32) {
      throw new IllegalArgumentException("bitWidth must be in [1, 32], got " + bitWidth);
    }
    if (vector.length > Wire.MAX_VECTOR) {
      throw new IllegalArgumentException("vector too long: " + vector.length);
    }
    if (bitWidth < 32) {
      for (int i = 0; i < vector.length; i++) {
        if ((vector[i] >>> bitWidth) != 0) {
          throw new IllegalArgumentException("word " + i + " exceeds " + bitWidth + " bits");
        }
      }
    }
  }

  /** Exact size of {@link #toBytes()} for a vector of {@code length} b-bit words. */
  public static int encodedLength(int length, int bitWidth) {
    return 4 + 8 + 32 + 4 + 1 + 4 + packedBytes(length, bitWidth);
  }

  private static int packedBytes(int length, int bitWidth) {
    return (int) (((long) length * bitWidth + 7) / 8);
  }

  @Override
  public byte[] toBytes() {
    byte[] packed = new byte[packedBytes(vector.length, bitWidth)];
    long acc = 0;
    int bits = 0;
    int p = 0;
    long mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
    for (int v : vector) {
      acc |= (v & mask) << bits;
      bits += bitWidth;
      while (bits >= 8) {
        packed[p++] = (byte) acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) {
      packed[p] = (byte) acc;
    }
    return new Wire.Writer(Wire.MASKED_INPUT, packed.length + 64)
        .i64(roundId).fixed(sessionId, 32).i32(clientId).u8(bitWidth).i32(vector.length)
        .raw(packed).bytes();
  }

  /** Decodes; throws {@link MalformedMessageException} on any malformed input. */
  public static MaskedInput fromBytes(byte[] data) {
    return Wire.decode("MaskedInput", () -> {
      Wire.Reader r = new Wire.Reader(data, Wire.MASKED_INPUT, "MaskedInput");
      long round = r.i64();
      byte[] session = r.fixed(32);
      int client = r.i32();
      int b = r.u8();
      if (b < 1 || b > 32) {
        throw r.error("bitWidth " + b);
      }
      int n = r.i32();
      if (n < 0 || n > Wire.MAX_VECTOR) {
        throw r.error("vector length " + n);
      }
      int bytes = packedBytes(n, b);
      if (r.remaining() != bytes) {
        throw r.error("expected " + bytes + " packed bytes, found " + r.remaining());
      }
      byte[] packed = r.fixed(bytes);
      int[] v = new int[n];
      long acc = 0;
      int bits = 0;
      int p = 0;
      long mask = b == 32 ? 0xFFFFFFFFL : (1L << b) - 1;
      for (int i = 0; i < n; i++) {
        while (bits < b) {
          acc |= (packed[p++] & 0xFFL) << bits;
          bits += 8;
        }
        v[i] = (int) (acc & mask);
        acc >>>= b;
        bits -= b;
      }
      if (acc != 0) {
        throw r.error("non-zero padding bits");
      }
      r.end();
      return new MaskedInput(round, session, client, b, v);
    });
  }
}
