package io.interestfl.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class DiscreteGaussianSamplerTest {

    /** Exact pmf of N_Z(0, variance) at k: exp(-k^2/(2 variance)) / sum_j exp(-j^2/(2 variance)). */
    private static double pmf(long k, double variance) {
        double z = 0;
        for (long j = -2000; j <= 2000; j++) {
            z += Math.exp(-(double) j * j / (2 * variance));
        }
        return Math.exp(-(double) k * k / (2 * variance)) / z;
    }

    /**
     * Chi-square goodness of fit over the bins -m..m plus the two tails (< -m and > m),
     * i.e. 2m + 3 bins and 2m + 2 degrees of freedom.
     */
    private static double chiSquare(DiscreteGaussianSampler sampler, double variance, int m, int samples) {
        long[] counts = new long[2 * m + 3]; // [0] = below -m, [2m+2] = above m
        for (int i = 0; i < samples; i++) {
            long x = sampler.sample();
            int bin = x < -m ? 0 : x > m ? 2 * m + 2 : (int) (x + m + 1);
            counts[bin]++;
        }
        double inside = 0;
        double stat = 0;
        for (int k = -m; k <= m; k++) {
            double p = pmf(k, variance);
            inside += p;
            double expected = p * samples;
            double diff = counts[k + m + 1] - expected;
            stat += diff * diff / expected;
        }
        double tail = (1 - inside) / 2;
        for (int bin : new int[] {0, 2 * m + 2}) {
            double expected = tail * samples;
            assertTrue(expected >= 5, "tail bins need an expected count >= 5, got " + expected);
            double diff = counts[bin] - expected;
            stat += diff * diff / expected;
        }
        return stat;
    }

    @Test
    void sigmaThreePassesChiSquareAgainstThePmf() {
        DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(9.0, TestRandom.seeded("dg-chi2-sigma3"));
        double stat = chiSquare(sampler, 9.0, 10, 200_000);
        // 23 bins, 22 degrees of freedom: the 0.999 quantile of chi^2(22) is 48.268 (scipy chi2.ppf).
        assertTrue(stat < 48.268, "chi-square statistic " + stat + " exceeds the 0.1% critical value 48.268");
    }

    @Test
    void fractionalVariancePassesChiSquare() {
        // sigma^2 = 2.5 = 5/2 exercises the rational arithmetic (t = 2, non-integer sigma^2/t).
        DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(2.5, TestRandom.seeded("dg-chi2-2.5"));
        assertArrayEquals(new BigInteger[] {BigInteger.valueOf(5), BigInteger.TWO}, sampler.varianceFraction());
        double stat = chiSquare(sampler, 2.5, 5, 100_000);
        // 13 bins, 12 degrees of freedom: the 0.999 quantile of chi^2(12) is 32.909.
        assertTrue(stat < 32.909, "chi-square statistic " + stat + " exceeds the 0.1% critical value 32.909");
    }

    @Test
    void bigIntegerPathPassesChiSquare() {
        // A denominator of 10^30 makes 2 t^2 d n overflow a long, so acceptance runs in BigInteger.
        BigInteger denominator = BigInteger.TEN.pow(30);
        BigInteger numerator = BigInteger.valueOf(4).multiply(denominator).add(BigInteger.ONE); // 4 + 1e-30
        DiscreteGaussianSampler sampler = new DiscreteGaussianSampler(numerator, denominator,
                TestRandom.seeded("dg-chi2-big"));
        double stat = chiSquare(sampler, 4.0, 6, 50_000);
        // 15 bins, 14 degrees of freedom: the 0.999 quantile of chi^2(14) is 36.123.
        assertTrue(stat < 36.123, "chi-square statistic " + stat + " exceeds the 0.1% critical value 36.123");
    }

    @Test
    void momentsMatchForALargerSigma() {
        double variance = 1234.5;
        DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(variance, TestRandom.seeded("dg-moments"));
        int n = 50_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            long x = sampler.sample();
            sum += x;
            sumSq += (double) x * x;
        }
        double sigma = Math.sqrt(variance);
        assertEquals(0.0, sum / n, 5 * sigma / Math.sqrt(n));
        // For sigma >= 1 the variance of N_Z(0, s^2) equals s^2 to within 1e-8 relative.
        assertEquals(sigma, Math.sqrt(sumSq / n), 0.02 * sigma);
    }

    @Test
    void addsNoiseToIntegerVectors() {
        DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(4.0, TestRandom.seeded("dg-vectors"));
        long[] longs = new long[20_000];
        int[] ints = new int[20_000];
        java.util.Arrays.fill(ints, 100);
        sampler.addTo(longs);
        sampler.addTo(ints);
        double vl = 0;
        double vi = 0;
        for (int i = 0; i < longs.length; i++) {
            vl += (double) longs[i] * longs[i];
            vi += (double) (ints[i] - 100) * (ints[i] - 100);
        }
        assertEquals(4.0, vl / longs.length, 0.15);
        assertEquals(4.0, vi / ints.length, 0.15);
        int[] full = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        assertThrows(ArithmeticException.class, () -> sampler.addTo(full), "overflow must not wrap silently");
    }

    @Test
    void bernoulliExpMinusHasTheRightFrequency() {
        DiscreteGaussianSampler sampler = DiscreteGaussianSampler.ofVariance(1.0, TestRandom.seeded("bexp"));
        int n = 100_000;
        for (long[] g : new long[][] {{1, 3}, {1, 1}, {7, 3}}) {
            int hits = 0;
            int bigHits = 0;
            for (int i = 0; i < n; i++) {
                if (sampler.bernoulliExpMinus(g[0], g[1])) {
                    hits++;
                }
                if (sampler.bernoulliExpMinus(BigInteger.valueOf(g[0]), BigInteger.valueOf(g[1]))) {
                    bigHits++;
                }
            }
            double p = Math.exp(-(double) g[0] / g[1]);
            double tolerance = 5 * Math.sqrt(p * (1 - p) / n);
            assertEquals(p, hits / (double) n, tolerance, "long path exp(-" + g[0] + "/" + g[1] + ")");
            assertEquals(p, bigHits / (double) n, tolerance, "BigInteger path exp(-" + g[0] + "/" + g[1] + ")");
        }
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiscreteGaussianSampler.ofVariance(-2.0, TestRandom.seeded("x")));
        assertEquals("discrete Gaussian variance must be finite and > 0, got -2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DiscreteGaussianSampler(BigInteger.ZERO, BigInteger.ONE, TestRandom.seeded("x")));
        assertEquals("discrete Gaussian variance must be > 0, got 0/1", e.getMessage());
    }
}
