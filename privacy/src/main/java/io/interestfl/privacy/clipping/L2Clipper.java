package io.interestfl.privacy.clipping;

/**
 * Clips a flat vector (a model update or a per-example gradient) to L2 norm at most
 * {@code clipNorm}, in place: v &lt;- v * min(1, C / ||v||_2). This bounds the sensitivity of a
 * sum of such vectors to C, which is what the Gaussian mechanisms are calibrated against.
 *
 * <p>The norm is accumulated in double. When a {@code float[]} is scaled, every product is
 * rounded toward zero, so the clipped vector's exact norm never exceeds C because of rounding;
 * a {@code double[]} is scaled with ordinary rounding (norm at most C(1 + 1e-15)).
 * Vectors within the bound are left bit-for-bit unchanged. Non-finite entries are rejected
 * (a NaN norm would silently escape clipping).
 */
public final class L2Clipper {

    private final double clipNorm;

    /** @param clipNorm the L2 bound C, finite and > 0 */
    public L2Clipper(double clipNorm) {
        this.clipNorm = checkClipNorm(clipNorm);
    }

    public double clipNorm() {
        return clipNorm;
    }

    /** Clips {@code v} in place and reports its norm and the factor applied. */
    public ClipResult clip(float[] v) {
        return clipRange(v, 0, v.length, clipNorm);
    }

    /** Clips {@code v} in place and reports its norm and the factor applied. */
    public ClipResult clip(double[] v) {
        double norm = norm(v);
        if (norm <= clipNorm) {
            return new ClipResult(norm, 1.0);
        }
        double factor = clipNorm / norm;
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return new ClipResult(norm, factor);
    }

    /** L2 norm of {@code v}, accumulated in double. */
    public static double norm(float[] v) {
        return norm(v, 0, v.length);
    }

    /** L2 norm of {@code v}. */
    public static double norm(double[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("cannot clip a vector with a non-finite entry: v[" + i + "] = " + x);
            }
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double norm(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("cannot clip a vector with a non-finite entry: v[" + i + "] = " + x);
            }
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Clips v[from, to) to {@code bound} in place. */
    static ClipResult clipRange(float[] v, int from, int to, double bound) {
        double norm = norm(v, from, to);
        if (norm <= bound) {
            return new ClipResult(norm, 1.0);
        }
        double factor = bound / norm;
        for (int i = from; i < to; i++) {
            double exact = v[i] * factor;
            float rounded = (float) exact;
            if (Math.abs((double) rounded) > Math.abs(exact)) {
                rounded = rounded > 0 ? Math.nextDown(rounded) : Math.nextUp(rounded);
            }
            v[i] = rounded;
        }
        return new ClipResult(norm, factor);
    }

    static double checkClipNorm(double clipNorm) {
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be finite and > 0, got " + clipNorm);
        }
        return clipNorm;
    }
}
