package io.interestfl.privacy.accounting;

/**
 * The Poisson-subsampled Gaussian mechanism applied {@code steps} times: each step includes every
 * record (a customer, or a client) independently with probability {@code samplingRate}, sums
 * their contributions clipped to L2 norm C and adds N(0, (noiseMultiplier * C)^2) noise.
 *
 * <p>Its Rényi-DP curve follows Mironov, Talwar and Zhang 2019 ("Rényi Differential Privacy of
 * the Sampled Gaussian Mechanism"), with the same algorithm as TF Privacy / Opacus:
 * rdp(alpha) = steps * log(A_alpha) / (alpha - 1), where
 * <ul>
 *   <li>for integer alpha, A_alpha = sum_{i=0..alpha} C(alpha,i) q^i (1-q)^(alpha-i)
 *       exp((i^2 - i) / (2 sigma^2)), summed exactly in log space (log-sum-exp);</li>
 *   <li>for fractional alpha, A_alpha is the two-series expansion around
 *       z0 = sigma^2 ln(1/q - 1) + 1/2 with generalised binomial coefficients and
 *       erfc terms, truncated when both terms fall below e^-30;</li>
 *   <li>q = 1 is the plain Gaussian: rdp(alpha) = steps * alpha / (2 sigma^2); q = 0 gives 0.</li>
 * </ul>
 *
 * @param samplingRate    Poisson sampling probability q, in [0, 1]
 * @param noiseMultiplier sigma = noise stddev / clip norm, > 0
 * @param steps           number of times the mechanism runs, >= 0
 */
public record SubsampledGaussian(double samplingRate, double noiseMultiplier, long steps)
        implements PrivacyMechanism {

    private static final double LOG_HALF = Math.log(0.5);
    private static final double SQRT2 = Math.sqrt(2.0);

    public SubsampledGaussian {
        checkParameters(samplingRate, noiseMultiplier);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    /** One step of the mechanism ({@code steps = 1}). */
    public static SubsampledGaussian oneStep(double samplingRate, double noiseMultiplier) {
        return new SubsampledGaussian(samplingRate, noiseMultiplier, 1);
    }

    @Override
    public double rdp(double order) {
        return steps == 0 ? 0.0 : steps * rdpPerStep(samplingRate, noiseMultiplier, order);
    }

    /** RDP epsilon at {@code order} of a single step with sampling rate q and noise multiplier sigma. */
    public static double rdpPerStep(double q, double sigma, double order) {
        checkParameters(q, sigma);
        RdpOrders.checkOrder(order);
        if (q == 0) {
            return 0.0;
        }
        if (q == 1.0) {
            return order / (2 * sigma * sigma);
        }
        double logA = order == Math.rint(order)
                ? logAInteger(q, sigma, (long) order)
                : logAFractional(q, sigma, order);
        return logA / (order - 1);
    }

    static double logAInteger(double q, double sigma, long alpha) {
        double logQ = Math.log(q);
        double log1MinusQ = Math.log1p(-q);
        double twoSigmaSq = 2 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        for (long i = 0; i <= alpha; i++) {
            double logTerm = LogMath.logBinomial(alpha, i) + i * logQ + (alpha - i) * log1MinusQ
                    + (double) (i * i - i) / twoSigmaSq;
            logA = LogMath.logAdd(logA, logTerm);
        }
        return logA;
    }

    static double logAFractional(double q, double sigma, double alpha) {
        double logQ = Math.log(q);
        double log1MinusQ = Math.log1p(-q);
        double sigmaSq = sigma * sigma;
        double z0 = sigmaSq * Math.log(1 / q - 1) + 0.5;
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logAbsCoef = 0.0; // log |C(alpha, 0)|
        boolean positive = true;
        for (int i = 0; ; i++) {
            if (i > 0) {
                double factor = (alpha - (i - 1)) / i; // C(alpha,i) = C(alpha,i-1) * (alpha-i+1)/i
                logAbsCoef += Math.log(Math.abs(factor));
                if (factor < 0) {
                    positive = !positive;
                }
            }
            double j = alpha - i;
            double logT0 = logAbsCoef + i * logQ + j * log1MinusQ;
            double logT1 = logAbsCoef + j * logQ + i * log1MinusQ;
            double logE0 = LOG_HALF + LogMath.logErfc((i - z0) / (SQRT2 * sigma));
            double logE1 = LOG_HALF + LogMath.logErfc((z0 - j) / (SQRT2 * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigmaSq) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigmaSq) + logE1;
            if (positive) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            } else {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                break;
            }
            if (i > 100_000) {
                throw new ArithmeticException("fractional-order RDP series did not converge for q="
                        + q + ", sigma=" + sigma + ", order=" + alpha);
            }
        }
        return LogMath.logAdd(logA0, logA1);
    }

    private static void checkParameters(double q, double sigma) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise multiplier must be > 0, got " + sigma);
        }
    }
}
