package io.interestfl.client.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FloatVectorsTest {
    @Test
    void littleEndianLayout() {
        byte[] b = FloatVectors.toLittleEndianBytes(new float[]{1.0f, -2.5f});
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, b);
    }

    @Test
    void roundTripIsBitExact() {
        float[] v = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 1e-30f, 3.14159f};
        float[] back = FloatVectors.fromLittleEndianBytes(FloatVectors.toLittleEndianBytes(v));
        assertEquals(v.length, back.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "index " + i);
        }
        assertEquals(0, FloatVectors.fromLittleEndianBytes(new byte[0]).length);
        assertThrows(IllegalArgumentException.class, () -> FloatVectors.fromLittleEndianBytes(new byte[5]));
    }
}
