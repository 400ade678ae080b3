package io.interestfl.privacy.accounting;

/**
 * Log-space arithmetic used by the accountant: log-sum-exp, log-difference, log binomial
 * coefficients and an accurate {@code log(erfc(x))} that does not underflow for large x.
 */
final class LogMath {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double[] LOG_FACTORIAL = logFactorials(4096);

    private LogMath() {
    }

    /** log(exp(a) + exp(b)) without overflow. */
    static double logAdd(double a, double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        return Math.log1p(Math.exp(lo - hi)) + hi;
    }

    /** log(exp(a) - exp(b)) for a >= b; -infinity when a == b. */
    static double logSub(double a, double b) {
        if (a < b) {
            throw new ArithmeticException("logSub needs a >= b, got a=" + a + ", b=" + b);
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        double d = a - b;
        // For large d, expm1(d) overflows; log(expm1(d)) = d + log1p(-exp(-d)).
        return d > 30 ? a + Math.log1p(-Math.exp(-d)) : Math.log(Math.expm1(d)) + b;
    }

    /** log(n!) for n >= 0. */
    static double logFactorial(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("factorial of a negative number: " + n);
        }
        if (n < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[(int) n];
        }
        double s = LOG_FACTORIAL[LOG_FACTORIAL.length - 1];
        for (long k = LOG_FACTORIAL.length; k <= n; k++) {
            s += Math.log(k);
        }
        return s;
    }

    /** log of the binomial coefficient C(n, k) for integers 0 <= k <= n. */
    static double logBinomial(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /**
     * log(erfc(x)) accurate to about 1e-15 relative for every finite x.
     *
     * <p>For x &lt; 1.5 it uses erfc = 1 - erf with the all-positive series
     * erf(x) = 2x/sqrt(pi) e^{-x^2} sum_n (2x^2)^n / (1*3*...*(2n+1)) (and erfc(x) = 2 - erfc(-x)
     * for negative x). For x &gt;= 1.5 it evaluates the continued fraction
     * erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) with the modified
     * Lentz algorithm directly in log space, so erfc(40) (about 1e-697, below the smallest double)
     * still has a finite, accurate logarithm.
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x < 0) {
            return Math.log(2.0 - erfcNonNegative(-x));
        }
        if (x < 1.5) {
            return Math.log(erfcNonNegative(x));
        }
        return -x * x - LOG_SQRT_PI - Math.log(continuedFractionDenominator(x));
    }

    /** erfc(x) for x >= 0 (underflows to 0 beyond x of about 27). */
    static double erfc(double x) {
        if (x < 0) {
            return 2.0 - erfcNonNegative(-x);
        }
        return erfcNonNegative(x);
    }

    private static double erfcNonNegative(double x) {
        if (x >= 1.5) {
            return Math.exp(logErfc(x));
        }
        double term = 1.0;
        double sum = 1.0;
        double twoXSquared = 2.0 * x * x;
        for (int n = 1; n < 200; n++) {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        double erf = 2.0 * x / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
        return 1.0 - erf;
    }

    /** The value f with erfc(x) = e^{-x^2} / (sqrt(pi) f), for x >= 1.5 (modified Lentz). */
    private static double continuedFractionDenominator(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int n = 1; n < 10_000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0.0 ? 1.0 / tiny : 1.0 / d;
            c = x + a / c;
            if (c == 0.0) {
                c = tiny;
            }
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                return f;
            }
        }
        return f;
    }

    private static double[] logFactorials(int n) {
        double[] t = new double[n + 1];
        for (int k = 2; k <= n; k++) {
            t[k] = t[k - 1] + Math.log(k);
        }
        return t;
    }
}
