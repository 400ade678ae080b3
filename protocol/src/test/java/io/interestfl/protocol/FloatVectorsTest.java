package io.interestfl.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FloatVectorsTest {
  @Test
  void littleEndianLayout() {
    byte[] b = FloatVectors.toBytes(new float[] {1.0f, -2.5f});
    // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, b);
  }

  @Test
  void roundTripIsBitExact() {
    float[] v = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 1e-30f, 3.14159f};
    float[] back = FloatVectors.fromBytes(FloatVectors.toBytes(v));
    assertEquals(v.length, back.length);
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "index " + i);
    }
    assertEquals(0, FloatVectors.fromBytes(new byte[0]).length);
    assertThrows(IllegalArgumentException.class, () -> FloatVectors.fromBytes(new byte[5]));
  }

  @Test
  void firstNonFiniteNamesTheIndex() {
    assertEquals(-1, FloatVectors.firstNonFinite(new float[] {1f, 2f}));
    assertEquals(1, FloatVectors.firstNonFinite(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY}));
  }
}
