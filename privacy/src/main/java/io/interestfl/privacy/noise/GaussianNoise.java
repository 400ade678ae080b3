package io.interestfl.privacy.noise;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Continuous Gaussian noise N(0, stddev^2) drawn from a {@link SecureRandom}, for the central
 * (coordinator-side, no secure aggregation) Gaussian mechanism and for local DP-SGD steps.
 *
 * <p>Sampler: the Marsaglia polar method. Draw u, v uniform in (-1, 1) from
 * {@link SecureRandom#nextDouble()} (53 random bits each) until s = u^2 + v^2 lies in (0, 1);
 * then u * sqrt(-2 ln(s) / s) and v * sqrt(-2 ln(s) / s) are two independent standard normals.
 * Both are used. Exact in real arithmetic; in doubles it has the usual floating-point caveat
 * (Mironov 2012: the low-order bits of floating-point noise can leak information), which is why
 * the secure-aggregation path uses the integer {@link DiscreteGaussianSampler} instead.
 *
 * <p>Not thread-safe (it caches the second normal of each pair); use one per thread.
 */
public final class GaussianNoise {

    private final double stddev;
    private final SecureRandom random;
    private double spare;
    private boolean hasSpare;

    /**
     * @param stddev noise standard deviation, finite and >= 0 (0 adds nothing)
     * @param random the randomness source; pass {@code new SecureRandom()} in production
     */
    public GaussianNoise(double stddev, SecureRandom random) {
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("noise stddev must be finite and >= 0, got " + stddev);
        }
        this.stddev = stddev;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Noise for the Gaussian mechanism on a sum of updates clipped to {@code clipNorm}:
     * stddev = noiseMultiplier * clipNorm.
     */
    public static GaussianNoise forMechanism(double noiseMultiplier, double clipNorm, SecureRandom random) {
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be finite and > 0, got " + clipNorm);
        }
        return new GaussianNoise(noiseMultiplier * clipNorm, random);
    }

    public double stddev() {
        return stddev;
    }

    /** One sample of N(0, stddev^2). */
    public double sample() {
        return stddev * standardNormal();
    }

    /** Adds independent N(0, stddev^2) noise to every element, in place. */
    public void addTo(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] += stddev * standardNormal();
        }
    }

    /** Adds independent N(0, stddev^2) noise to every element, in place (noise drawn in double). */
    public void addTo(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] + stddev * standardNormal());
        }
    }

    /** One standard normal sample (Marsaglia polar method). */
    double standardNormal() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * random.nextDouble() - 1.0;
            v = 2.0 * random.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.sqrt(-2.0 * Math.log(s) / s);
        spare = v * factor;
        hasSpare = true;
        return u * factor;
    }
}
