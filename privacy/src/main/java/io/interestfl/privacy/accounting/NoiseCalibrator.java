package io.interestfl.privacy.accounting;

/**
 * Finds the smallest noise multiplier for which the Poisson-subsampled Gaussian with sampling
 * rate q, run for T steps, stays within a target (epsilon, delta).
 *
 * <p>Epsilon decreases as the noise multiplier grows, so the calibrator brackets the answer by
 * doubling from 1, then bisects until the bracket is within 1e-4 relative. It returns the upper
 * end of the final bracket, so the returned multiplier always meets the target (never slightly
 * below it). Search range: [{@value #MIN_NOISE_MULTIPLIER}, {@value #MAX_NOISE_MULTIPLIER}];
 * outside it the target is reported as unreachable: too small an epsilon (the floor comes from
 * delta and the largest order, about ln(1/delta)/1023) or one so large that almost no noise is
 * needed.
 */
public final class NoiseCalibrator {

    public static final double MIN_NOISE_MULTIPLIER = 1e-2;
    public static final double MAX_NOISE_MULTIPLIER = 1e4;
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private NoiseCalibrator() {
    }

    /**
     * The noise multiplier that reaches {@code targetEpsilon} at {@code delta} after
     * {@code steps} steps with sampling rate {@code q}.
     *
     * @throws UnreachablePrivacyTargetException if no multiplier in the search range reaches it
     */
    public static double noiseMultiplier(double targetEpsilon, double q, long steps, double delta,
            EpsilonConversion conversion) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + targetEpsilon);
        }
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in (0, 1], got " + q);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        EpsilonConversion.checkDelta(delta);

        double hi = 1.0;
        while (eps(hi, q, steps, delta, conversion) > targetEpsilon) {
            hi *= 2;
            if (hi > MAX_NOISE_MULTIPLIER) {
                double best = eps(MAX_NOISE_MULTIPLIER, q, steps, delta, conversion);
                throw new UnreachablePrivacyTargetException("target epsilon " + targetEpsilon
                        + " (delta " + delta + ", q " + q + ", " + steps + " steps) is not reachable:"
                        + " even noise multiplier " + MAX_NOISE_MULTIPLIER + " gives epsilon " + best);
            }
        }
        double lo = hi / 2;
        while (eps(lo, q, steps, delta, conversion) <= targetEpsilon) {
            hi = lo;
            lo /= 2;
            if (lo < MIN_NOISE_MULTIPLIER) {
                throw new UnreachablePrivacyTargetException("target epsilon " + targetEpsilon
                        + " (delta " + delta + ", q " + q + ", " + steps + " steps) is met even at noise"
                        + " multiplier " + hi + "; calibration below " + MIN_NOISE_MULTIPLIER
                        + " is not supported");
            }
        }
        // Invariant: eps(lo) > target >= eps(hi).
        while ((hi - lo) > RELATIVE_TOLERANCE * hi) {
            double mid = (lo + hi) / 2;
            if (eps(mid, q, steps, delta, conversion) > targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    private static double eps(double z, double q, long steps, double delta, EpsilonConversion conversion) {
        return RdpAccountant.epsilon(q, z, steps, delta, conversion).epsilon();
    }
}
