package io.interestfl.privacy.clipping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Clips each layer of a flat parameter vector to its own L2 bound. Layers are given as
 * boundaries {@code b_0 = 0 < b_1 < ... < b_L = length}: layer i is {@code v[b_i, b_{i+1})}.
 * The whole vector then has norm at most sqrt(sum_i C_i^2) ({@link #totalClipNorm()}), which is
 * the sensitivity to give the noise. {@link #evenSplit} gives every layer C / sqrt(L) so the
 * total is exactly C.
 */
public final class PerLayerClipper {

    private final int[] boundaries;
    private final double[] layerClipNorms;

    /**
     * @param boundaries     L + 1 offsets, starting at 0 and strictly increasing
     * @param layerClipNorms L bounds, each finite and > 0
     */
    public PerLayerClipper(int[] boundaries, double[] layerClipNorms) {
        checkBoundaries(boundaries);
        if (layerClipNorms.length != boundaries.length - 1) {
            throw new IllegalArgumentException("need one clip norm per layer: " + (boundaries.length - 1)
                    + " layers but " + layerClipNorms.length + " clip norms");
        }
        for (double c : layerClipNorms) {
            L2Clipper.checkClipNorm(c);
        }
        this.boundaries = boundaries.clone();
        this.layerClipNorms = layerClipNorms.clone();
    }

    /** Every one of the L layers gets {@code totalClipNorm / sqrt(L)}. */
    public static PerLayerClipper evenSplit(double totalClipNorm, int[] boundaries) {
        L2Clipper.checkClipNorm(totalClipNorm);
        checkBoundaries(boundaries);
        double[] norms = new double[boundaries.length - 1];
        Arrays.fill(norms, totalClipNorm / Math.sqrt(norms.length));
        return new PerLayerClipper(boundaries, norms);
    }

    /** The L2 bound of the whole vector after clipping: sqrt(sum of squared layer bounds). */
    public double totalClipNorm() {
        double s = 0;
        for (double c : layerClipNorms) {
            s += c * c;
        }
        return Math.sqrt(s);
    }

    public int layers() {
        return layerClipNorms.length;
    }

    /** Clips every layer of {@code v} in place; one result per layer, in order. */
    public List<ClipResult> clip(float[] v) {
        if (v.length != boundaries[boundaries.length - 1]) {
            throw new IllegalArgumentException("vector length " + v.length + " does not match the last layer boundary "
                    + boundaries[boundaries.length - 1]);
        }
        List<ClipResult> results = new ArrayList<>(layerClipNorms.length);
        for (int i = 0; i < layerClipNorms.length; i++) {
            results.add(L2Clipper.clipRange(v, boundaries[i], boundaries[i + 1], layerClipNorms[i]));
        }
        return results;
    }

    private static void checkBoundaries(int[] boundaries) {
        if (boundaries.length < 2) {
            throw new IllegalArgumentException("layer boundaries need at least 2 offsets (0 and the length), got "
                    + boundaries.length);
        }
        if (boundaries[0] != 0) {
            throw new IllegalArgumentException("layer boundaries must start at 0, got " + boundaries[0]);
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("layer boundaries must be strictly increasing, got "
                        + boundaries[i - 1] + " then " + boundaries[i] + " at index " + i);
            }
        }
    }
}
