package io.interestfl.client.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian float32 encoding of parameter vectors (e.g. a protobuf {@code bytes} field). */
public final class FloatVectors {
    private FloatVectors() {
    }

    /** 4 bytes per float, little-endian IEEE 754 (bit patterns incl. NaN payloads preserved). */
    public static byte[] toLittleEndianBytes(float[] v) {
        byte[] out = new byte[Math.multiplyExact(v.length, 4)];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        return out;
    }

    /** Inverse of {@link #toLittleEndianBytes}; the length must be a multiple of 4. */
    public static float[] fromLittleEndianBytes(byte[] b) {
        if (b.length % 4 != 0) {
            throw new IllegalArgumentException("byte length " + b.length + " is not a multiple of 4");
        }
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
