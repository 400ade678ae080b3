package io.interestfl.privacy.clipping;

import io.interestfl.privacy.noise.GaussianNoise;
import java.security.SecureRandom;

/**
 * Adaptive clip norm (Andrew, Thakkar, McMahan, Ramaswamy 2021, "Differentially Private Learning
 * with Adaptive Clipping"): after each round the clip norm moves geometrically toward the
 * {@code targetQuantile} of the clients' update norms,
 * C &lt;- C * exp(-eta * (b - gamma)), where b is the noisy fraction of clients whose update was
 * not clipped: b = (unclipped count + N(0, sigma_b^2)) / expected clients.
 *
 * <p>The count is itself released with Gaussian noise, so it costs privacy; when the count and
 * the update share one budget with overall noise multiplier z, the update must use the larger
 * {@link #updateNoiseMultiplier(double, double)} z_delta = (z^-2 - (2 sigma_b)^-2)^(-1/2).
 * Andrew et al. suggest sigma_b = expected clients / 20. Not thread-safe.
 */
public final class AdaptiveClipper {

    /** Default target quantile gamma (the median). */
    public static final double DEFAULT_TARGET_QUANTILE = 0.5;
    /** Default geometric learning rate eta. */
    public static final double DEFAULT_LEARNING_RATE = 0.2;

    private final double targetQuantile;
    private final double learningRate;
    private final double countNoiseStddev;
    private final GaussianNoise countNoise;
    private double clipNorm;

    /**
     * @param initialClipNorm  starting C, finite and > 0
     * @param targetQuantile   gamma in (0, 1)
     * @param learningRate     eta, finite and > 0
     * @param countNoiseStddev sigma_b, the stddev of the noise on the unclipped count, >= 0
     *                         (0 only for experiments: the count then is not private)
     * @param random           source of the count noise
     */
    public AdaptiveClipper(double initialClipNorm, double targetQuantile, double learningRate,
            double countNoiseStddev, SecureRandom random) {
        this.clipNorm = L2Clipper.checkClipNorm(initialClipNorm);
        if (!(targetQuantile > 0 && targetQuantile < 1)) {
            throw new IllegalArgumentException("target quantile must be in (0, 1), got " + targetQuantile);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("clip learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(countNoiseStddev >= 0) || Double.isInfinite(countNoiseStddev)) {
            throw new IllegalArgumentException("count noise stddev must be finite and >= 0, got " + countNoiseStddev);
        }
        this.targetQuantile = targetQuantile;
        this.learningRate = learningRate;
        this.countNoiseStddev = countNoiseStddev;
        this.countNoise = new GaussianNoise(countNoiseStddev, random);
    }

    /** gamma = 0.5, eta = 0.2. */
    public static AdaptiveClipper withDefaults(double initialClipNorm, double countNoiseStddev, SecureRandom random) {
        return new AdaptiveClipper(initialClipNorm, DEFAULT_TARGET_QUANTILE, DEFAULT_LEARNING_RATE,
                countNoiseStddev, random);
    }

    /** The clip norm to use for the next round. */
    public double clipNorm() {
        return clipNorm;
    }

    public double countNoiseStddev() {
        return countNoiseStddev;
    }

    /**
     * Adds N(0, sigma_b^2) to the unclipped count of this round, divides by the expected number
     * of clients and updates the clip norm; returns the new clip norm.
     */
    public double update(int unclippedCount, int expectedClients) {
        if (expectedClients < 1) {
            throw new IllegalArgumentException("expected clients must be >= 1, got " + expectedClients);
        }
        if (unclippedCount < 0) {
            throw new IllegalArgumentException("unclipped count must be >= 0, got " + unclippedCount);
        }
        double noise = countNoise.sample();
        return updateWithNoisyFraction((unclippedCount + noise) / expectedClients);
    }

    /**
     * Updates the clip norm from an already-noised unclipped fraction b (e.g. when the count was
     * summed and noised under secure aggregation); returns the new clip norm.
     */
    public double updateWithNoisyFraction(double noisyUnclippedFraction) {
        if (!Double.isFinite(noisyUnclippedFraction)) {
            throw new IllegalArgumentException("noisy unclipped fraction must be finite, got " + noisyUnclippedFraction);
        }
        clipNorm *= Math.exp(-learningRate * (noisyUnclippedFraction - targetQuantile));
        return clipNorm;
    }

    /**
     * Noise multiplier for the update when the overall multiplier {@code z} is shared with a
     * count released with noise {@code countNoiseStddev} (Andrew et al. 2021, Thm. 1):
     * z_delta = (z^-2 - (2 sigma_b)^-2)^(-1/2). Needs 2 sigma_b &gt; z.
     */
    public static double updateNoiseMultiplier(double z, double countNoiseStddev) {
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + z);
        }
        if (!(countNoiseStddev > z / 2) || Double.isInfinite(countNoiseStddev)) {
            throw new IllegalArgumentException("count noise stddev must be finite and > z/2 = " + (z / 2)
                    + " so that some budget is left for the update, got " + countNoiseStddev);
        }
        double inv = 1 / (z * z) - 1 / (4 * countNoiseStddev * countNoiseStddev);
        return 1 / Math.sqrt(inv);
    }
}
