package io.interestfl.secagg.message;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The explicit big-endian encoding shared by all messages (DataOutputStream layout): a 4-byte
 * header {@code 'S' 'A' version tag}, then the fields in declaration order. Variable-length fields
 * carry an int length prefix. Decoding checks every length against the bytes left and a hard
 * limit, and that nothing trails the message.
 */
final class Wire {
  /** 2: masks expand with AES-256-CTR (1 was ChaCha20): mixed versions must fail loudly, not sum garbage. */
  static final byte VERSION = 2;
  static final int MAX_IDS = 1 << 20;
  static final int MAX_VECTOR = 1 << 28;
  static final int MAX_BLOB = 4096;

  private Wire() {}

  /** Message type tags. */
  static final byte ROUND_START = 1;
  static final byte ADVERTISE_KEYS = 2;
  static final byte KEY_DIRECTORY = 3;
  static final byte SHARE_KEYS = 4;
  static final byte SHARE_BUNDLE = 5;
  static final byte MASKED_INPUT = 6;
  static final byte SURVIVOR_LIST = 7;
  static final byte CONSISTENCY_SIGNATURE = 8;
  static final byte UNMASK_REQUEST = 9;
  static final byte UNMASK_RESPONSE = 10;

  static final class Writer {
    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    Writer(byte tag, int sizeHint) {
      bytes = new ByteArrayOutputStream(Math.max(64, sizeHint));
      out = new DataOutputStream(bytes);
      u8('S').u8('A').u8(VERSION).u8(tag);
    }

    /** One write to the in-memory stream (which never fails). */
    private interface Field {
      void writeTo(DataOutputStream out) throws IOException;
    }

    private Writer put(Field field) {
      try {
        field.writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer i32(int v) {
      return put(o -> o.writeInt(v));
    }

    Writer i64(long v) {
      return put(o -> o.writeLong(v));
    }

    Writer u8(int v) {
      return put(o -> o.writeByte(v));
    }

    /** Fixed-length field: no prefix, the length is part of the format. */
    Writer fixed(byte[] v, int length) {
      if (v.length != length) {
        throw new IllegalArgumentException("field must be " + length + " bytes, got " + v.length);
      }
      return raw(v);
    }

    Writer raw(byte[] v) {
      return put(o -> o.write(v));
    }

    Writer blob(byte[] v) {
      return i32(v.length).raw(v);
    }

    Writer ids(int[] v) {
      i32(v.length);
      for (int x : v) {
        i32(x);
      }
      return this;
    }

    <T> Writer list(List<T> items, BiConsumer<Writer, T> encoder) {
      i32(items.size());
      for (T t : items) {
        encoder.accept(this, t);
      }
      return this;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  static final class Reader {
    private final ByteBuffer in;
    private final String type;

    Reader(byte[] data, byte tag, String type) {
      if (data == null) {
        throw new MalformedMessageException(type + ": null input");
      }
      this.in = ByteBuffer.wrap(data);
      this.type = type;
      if (data.length < 4) {
        throw new MalformedMessageException(type + ": " + data.length + " bytes is shorter than the header");
      }
      if (in.get() != 'S' || in.get() != 'A') {
        throw new MalformedMessageException(type + ": bad magic");
      }
      byte version = in.get();
      if (version != VERSION) {
        throw new MalformedMessageException(type + ": unsupported version " + version);
      }
      byte t = in.get();
      if (t != tag) {
        throw new MalformedMessageException(type + ": wrong message tag " + t + " (expected " + tag + ")");
      }
    }

    MalformedMessageException error(String what) {
      return new MalformedMessageException(type + ": " + what);
    }

    private <T> T get(Supplier<T> field) {
      try {
        return field.get();
      } catch (BufferUnderflowException e) {
        throw error("truncated");
      }
    }

    int i32() {
      return get(in::getInt);
    }

    long i64() {
      return get(in::getLong);
    }

    int u8() {
      return get(() -> in.get() & 0xFF);
    }

    byte[] fixed(int length) {
      if (in.remaining() < length) {
        throw error("truncated: need " + length + " bytes, " + in.remaining() + " left");
      }
      byte[] v = new byte[length];
      in.get(v);
      return v;
    }

    int length(int max, int bytesPerItem, String what) {
      int n = i32();
      if (n < 0 || n > max) {
        throw error(what + " length " + n + " outside [0, " + max + "]");
      }
      if ((long) n * bytesPerItem > in.remaining()) {
        throw error(what + " length " + n + " exceeds the remaining " + in.remaining() + " bytes");
      }
      return n;
    }

    byte[] blob(int max, String what) {
      return fixed(length(max, 1, what));
    }

    int[] ids(String what) {
      int n = length(MAX_IDS, 4, what);
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = in.getInt();
      }
      return v;
    }

    <T> List<T> list(int max, int minBytesPerItem, String what, Function<Reader, T> decoder) {
      int n = length(max, minBytesPerItem, what);
      List<T> v = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        v.add(decoder.apply(this));
      }
      return v;
    }

    int remaining() {
      return in.remaining();
    }

    void end() {
      if (in.hasRemaining()) {
        throw error(in.remaining() + " trailing bytes");
      }
    }
  }

  /**
   * The message tag of an encoded message, for {@code ClientMessage.fromBytes} and {@code
   * ServerMessage.fromBytes} to dispatch on (the type's own decoder checks the rest of the header).
   */
  static byte tag(byte[] data, String kind) {
    if (data == null || data.length < 4) {
      throw new MalformedMessageException(kind + ": too short");
    }
    return data[3];
  }

  /** Runs a decoder; turns validation failures of the record constructors into malformed input. */
  static <T> T decode(String type, Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (MalformedMessageException e) {
      throw e;
    } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException e) {
      throw new MalformedMessageException(type + ": " + e.getMessage(), e);
    }
  }

  static void requireLength(byte[] v, int length, String what) {
    if (v == null || v.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes");
    }
  }

  static void requireSortedPositiveIds(int[] ids, String what) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] <= 0) {
        throw new IllegalArgumentException(what + " contains non-positive id " + ids[i]);
      }
      if (i > 0 && ids[i] <= ids[i - 1]) {
        throw new IllegalArgumentException(what + " must be strictly ascending (at index " + i + ")");
      }
    }
  }
}
