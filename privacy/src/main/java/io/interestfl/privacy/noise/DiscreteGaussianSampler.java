package io.interestfl.privacy.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Exact sampler for the discrete Gaussian N_Z(0, sigma^2) on the integers,
 * P[X = x] proportional to exp(-x^2 / (2 sigma^2)), for a rational sigma^2 — the algorithm of
 * Canonne, Kamath and Steinke 2020 ("The Discrete Gaussian for Differential Privacy", Alg. 1-3).
 *
 * <p>All arithmetic is on integers and exact rationals ({@link BigInteger}); the only source of
 * randomness is uniform integers from a {@link SecureRandom}, so there is no floating-point
 * leakage. Steps: Bernoulli(n/d) is "uniform in [0, d) is below n"; Bernoulli(exp(-g)) for
 * rational g in [0, 1] counts how many successive Bernoulli(g/k) succeed and returns whether the
 * count of trials is odd, and for g &gt; 1 is floor(g) Bernoulli(exp(-1)) draws and one
 * Bernoulli(exp(-(g - floor g))); a discrete Laplace with integer scale t = floor(sigma) + 1
 * comes from a uniform remainder in [0, t) accepted with probability exp(-u/t) plus t times a
 * geometric count of Bernoulli(exp(-1)) successes, with a random sign (rejecting "-0"); finally a
 * Laplace sample y is accepted with probability exp(-(|y| - sigma^2/t)^2 / (2 sigma^2)).
 *
 * <p>Instances hold no mutable state besides the {@link SecureRandom} (which is thread-safe), so
 * one sampler may be shared between threads. For speed prefer a {@code DRBG} or {@code SHA1PRNG} instance over the
 * default {@code NativePRNG}, which takes a lock per call.
 */
public final class DiscreteGaussianSampler {

    private final BigInteger varianceNumerator;
    private final BigInteger varianceDenominator;
    private final long laplaceScale;
    /** 2 t^2 d n when it fits in a long (enables the fast path), else 0. */
    private final long longGammaDenominator;
    private final SecureRandom random;

    /**
     * A sampler with variance parameter sigma^2 = numerator / denominator.
     *
     * @throws IllegalArgumentException if the fraction is not positive
     */
    public DiscreteGaussianSampler(BigInteger varianceNumerator, BigInteger varianceDenominator,
            SecureRandom random) {
        Objects.requireNonNull(varianceNumerator, "varianceNumerator");
        Objects.requireNonNull(varianceDenominator, "varianceDenominator");
        if (varianceNumerator.signum() <= 0 || varianceDenominator.signum() <= 0) {
            throw new IllegalArgumentException("discrete Gaussian variance must be > 0, got "
                    + varianceNumerator + "/" + varianceDenominator);
        }
        BigInteger g = varianceNumerator.gcd(varianceDenominator);
        this.varianceNumerator = varianceNumerator.divide(g);
        this.varianceDenominator = varianceDenominator.divide(g);
        // t = floor(sigma) + 1, with floor(sqrt(n/d)) = floor(sqrt(floor(n/d))).
        BigInteger floorSigma = this.varianceNumerator.divide(this.varianceDenominator).sqrt();
        if (floorSigma.bitLength() > 60) {
            throw new IllegalArgumentException("discrete Gaussian sigma too large: "
                    + varianceNumerator + "/" + varianceDenominator);
        }
        this.laplaceScale = floorSigma.longValueExact() + 1;
        BigInteger t = BigInteger.valueOf(laplaceScale);
        BigInteger gammaDenominator = t.multiply(t).multiply(this.varianceDenominator)
                .multiply(this.varianceNumerator).shiftLeft(1);
        this.longGammaDenominator = gammaDenominator.bitLength() < 63 ? gammaDenominator.longValue() : 0;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A sampler whose variance parameter is the decimal value of {@code variance} as printed by
     * {@link Double#toString} (so 0.3 means exactly 3/10), made exact as a fraction.
     */
    public static DiscreteGaussianSampler ofVariance(double variance, SecureRandom random) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("discrete Gaussian variance must be finite and > 0, got " + variance);
        }
        BigInteger[] fraction = toFraction(variance);
        return new DiscreteGaussianSampler(fraction[0], fraction[1], random);
    }

    /** The variance parameter sigma^2 as a double (the true variance is slightly below it). */
    public double variance() {
        return new BigDecimal(varianceNumerator).divide(new BigDecimal(varianceDenominator),
                MathContext.DECIMAL64).doubleValue();
    }

    /** The variance parameter sigma^2 as an exact fraction {numerator, denominator}. */
    public BigInteger[] varianceFraction() {
        return new BigInteger[] {varianceNumerator, varianceDenominator};
    }

    /** One sample of N_Z(0, sigma^2). */
    public long sample() {
        if (longGammaDenominator > 0) {
            // Fast path: every quantity fits in a long (checked; falls back to BigInteger otherwise).
            long n = varianceNumerator.longValue();
            long td = laplaceScale * varianceDenominator.longValue();
            while (true) {
                long y = discreteLaplace(laplaceScale);
                try {
                    long diff = Math.subtractExact(Math.multiplyExact(Math.abs(y), td), n);
                    if (bernoulliExpMinus(Math.multiplyExact(diff, diff), longGammaDenominator)) {
                        return y;
                    }
                } catch (ArithmeticException overflow) {
                    if (acceptBig(y)) {
                        return y;
                    }
                }
            }
        }
        while (true) {
            long y = discreteLaplace(laplaceScale);
            if (acceptBig(y)) {
                return y;
            }
        }
    }

    /** Accepts y with probability exp(-(|y| - sigma^2/t)^2 / (2 sigma^2)), in exact BigInteger arithmetic. */
    private boolean acceptBig(long y) {
        BigInteger t = BigInteger.valueOf(laplaceScale);
        // gamma = (|y| - sigma^2/t)^2 / (2 sigma^2) = (|y| t d - n)^2 / (2 t^2 d n)
        BigInteger gammaDenominator = t.multiply(t).multiply(varianceDenominator)
                .multiply(varianceNumerator).shiftLeft(1);
        BigInteger diff = BigInteger.valueOf(Math.abs(y)).multiply(t.multiply(varianceDenominator))
                .subtract(varianceNumerator);
        return bernoulliExpMinus(diff.multiply(diff), gammaDenominator);
    }

    /** Adds an independent sample to every element, in place; throws on long overflow. */
    public void addTo(long[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.addExact(values[i], sample());
        }
    }

    /**
     * Adds an independent sample to every element, in place; throws on int overflow. Under
     * secure aggregation add the noise before reducing modulo the field size.
     */
    public void addTo(int[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.addExact(values[i], Math.toIntExact(sample()));
        }
    }

    /** Discrete Laplace with integer scale t: P[x] proportional to exp(-|x|/t) (CKS Alg. 2). */
    long discreteLaplace(long t) {
        while (true) {
            long u = uniformBelow(t);
            if (!bernoulliExpMinus(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExpMinus(1, 1)) {
                v++;
            }
            long x = Math.addExact(u, Math.multiplyExact(t, v));
            boolean negative = random.nextBoolean();
            if (negative && x == 0) {
                continue;
            }
            return negative ? -x : x;
        }
    }

    /** Bernoulli(exp(-n/d)) for n >= 0, d > 0 in long arithmetic (CKS Alg. 1). */
    boolean bernoulliExpMinus(long n, long d) {
        long whole = n / d;
        for (long k = 0; k < whole; k++) {
            if (!bernoulliExpMinusAtMostOne(1, 1)) {
                return false;
            }
        }
        return bernoulliExpMinusAtMostOne(n - whole * d, d);
    }

    private boolean bernoulliExpMinusAtMostOne(long n, long d) {
        long k = 1;
        while (true) {
            long dk;
            try {
                dk = Math.multiplyExact(d, k);
            } catch (ArithmeticException overflow) {
                return bernoulliExpMinusAtMostOneBig(BigInteger.valueOf(n), BigInteger.valueOf(d), k);
            }
            if (uniformBelow(dk) >= n) {
                return (k & 1) == 1;
            }
            k++;
        }
    }

    /** Bernoulli(exp(-n/d)) for n >= 0, d > 0 (CKS Alg. 1). */
    boolean bernoulliExpMinus(BigInteger n, BigInteger d) {
        if (n.compareTo(d) <= 0) {
            return bernoulliExpMinusAtMostOne(n, d);
        }
        BigInteger[] qr = n.divideAndRemainder(d);
        for (BigInteger k = BigInteger.ZERO; k.compareTo(qr[0]) < 0; k = k.add(BigInteger.ONE)) {
            if (!bernoulliExpMinusAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
                return false;
            }
        }
        return bernoulliExpMinusAtMostOne(qr[1], d);
    }

    private boolean bernoulliExpMinusAtMostOne(BigInteger n, BigInteger d) {
        return bernoulliExpMinusAtMostOneBig(n, d, 1);
    }

    /** The loop of Alg. 1 for gamma = n/d in [0, 1], continuing from trial k. */
    private boolean bernoulliExpMinusAtMostOneBig(BigInteger n, BigInteger d, long start) {
        long k = start;
        while (bernoulli(n, d.multiply(BigInteger.valueOf(k)))) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(n/d) for 0 <= n <= d. */
    private boolean bernoulli(BigInteger n, BigInteger d) {
        if (d.bitLength() < 63) {
            return uniformBelow(d.longValue()) < n.longValue();
        }
        BigInteger r;
        do {
            r = new BigInteger(d.bitLength(), random);
        } while (r.compareTo(d) >= 0);
        return r.compareTo(n) < 0;
    }

    /** Uniform in [0, bound) for 0 < bound < 2^63, by rejection (no modulo bias). */
    private long uniformBelow(long bound) {
        if (bound == 1) {
            return 0;
        }
        int bits = 64 - Long.numberOfLeadingZeros(bound - 1);
        long r;
        do {
            r = random.nextLong() >>> (64 - bits);
        } while (r >= bound);
        return r;
    }

    static BigInteger[] toFraction(double value) {
        BigDecimal exact = new BigDecimal(Double.toString(value));
        BigInteger numerator;
        BigInteger denominator;
        if (exact.scale() > 0) {
            numerator = exact.unscaledValue();
            denominator = BigInteger.TEN.pow(exact.scale());
        } else {
            numerator = exact.toBigIntegerExact();
            denominator = BigInteger.ONE;
        }
        BigInteger g = numerator.gcd(denominator);
        return new BigInteger[] {numerator.divide(g), denominator.divide(g)};
    }
}
