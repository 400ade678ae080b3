package io.interestfl.privacy.clipping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class L2ClipperTest {

    /** Test data only; no privacy noise comes from java.util.Random. */
    private final Random data = new Random(42);

    private float[] randomVector(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (data.nextGaussian() * scale);
        }
        return v;
    }

    @Test
    void clippedNormNeverExceedsTheBound() {
        for (int trial = 0; trial < 2_000; trial++) {
            double c = 0.01 + 10 * data.nextDouble();
            int n = 1 + data.nextInt(500);
            float[] v = randomVector(n, Math.exp(6 * data.nextDouble() - 3));
            double before = L2Clipper.norm(v);
            ClipResult r = new L2Clipper(c).clip(v);
            double after = L2Clipper.norm(v);
            assertEquals(before, r.norm(), 0.0);
            assertTrue(after <= c * (1 + 1e-12), "norm " + after + " exceeds clip norm " + c);
            if (r.clipped()) {
                assertEquals(c, after, 1e-5 * c, "a clipped vector lands on the bound");
                assertEquals(c / before, r.factor(), 1e-15);
            }
        }
    }

    @Test
    void identityWithinTheBound() {
        for (int trial = 0; trial < 500; trial++) {
            float[] v = randomVector(1 + data.nextInt(100), 0.1);
            float[] copy = v.clone();
            double norm = L2Clipper.norm(v);
            ClipResult r = new L2Clipper(norm * (1 + data.nextDouble())).clip(v);
            assertFalse(r.clipped());
            assertEquals(1.0, r.factor());
            assertArrayEquals(copy, v, "unclipped vectors are unchanged bit for bit");
        }
        float[] exactlyOnBound = {3f, 4f};
        assertFalse(new L2Clipper(5.0).clip(exactlyOnBound).clipped(), "norm == C counts as unclipped");
    }

    @Test
    void clipsDoubleVectors() {
        double[] v = {3, 4};
        ClipResult r = new L2Clipper(1.0).clip(v);
        assertTrue(r.clipped());
        assertEquals(5.0, r.norm());
        assertArrayEquals(new double[] {0.6, 0.8}, v, 1e-15);
    }

    @Test
    void perLayerClippingBoundsEachLayer() {
        int[] boundaries = {0, 10, 15, 115};
        PerLayerClipper clipper = PerLayerClipper.evenSplit(3.0, boundaries);
        assertEquals(3.0, clipper.totalClipNorm(), 1e-12);
        for (int trial = 0; trial < 500; trial++) {
            float[] v = randomVector(115, Math.exp(4 * data.nextDouble() - 3));
            List<ClipResult> results = clipper.clip(v);
            assertEquals(3, results.size());
            for (int layer = 0; layer < 3; layer++) {
                double layerNorm = L2Clipper.norm(java.util.Arrays.copyOfRange(v, boundaries[layer], boundaries[layer + 1]));
                assertTrue(layerNorm <= Math.sqrt(3.0) * (1 + 1e-12), "layer " + layer + " norm " + layerNorm);
            }
            assertTrue(L2Clipper.norm(v) <= 3.0 * (1 + 1e-12));
        }
        // Only the layer over its bound is touched.
        float[] v = new float[115];
        v[0] = 10f;
        v[12] = 0.5f;
        List<ClipResult> r = clipper.clip(v);
        assertTrue(r.get(0).clipped());
        assertFalse(r.get(1).clipped());
        assertEquals(0.5f, v[12]);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new L2Clipper(-1.0));
        assertEquals("clip norm must be finite and > 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new L2Clipper(1).clip(new float[] {1f, Float.NaN}));
        assertEquals("cannot clip a vector with a non-finite entry: v[1] = NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PerLayerClipper.evenSplit(1.0, new int[] {0, 5, 5, 9}));
        assertEquals("layer boundaries must be strictly increasing, got 5 then 5 at index 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PerLayerClipper.evenSplit(1.0, new int[] {0, 5}).clip(new float[6]));
        assertEquals("vector length 6 does not match the last layer boundary 5", e.getMessage());
    }
}
