package io.interestfl.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class DistributedDiscreteGaussianTest {

    @Test
    void perClientVarianceIsTheExactShare() {
        DiscreteGaussianSampler s = DistributedDiscreteGaussian.perClientSampler(100.0, 3,
                TestRandom.seeded("share"));
        assertArrayEquals(new BigInteger[] {BigInteger.valueOf(100), BigInteger.valueOf(3)}, s.varianceFraction());
    }

    @Test
    void sumOfClientNoiseHasTheTotalVariance() {
        int clients = 10;
        double total = 64.0;
        DiscreteGaussianSampler s = DistributedDiscreteGaussian.perClientSampler(total, clients,
                TestRandom.seeded("sum"));
        int sums = 20_000;
        double sumSq = 0;
        for (int i = 0; i < sums; i++) {
            long sum = 0;
            for (int c = 0; c < clients; c++) {
                sum += s.sample();
            }
            sumSq += (double) sum * sum;
        }
        // Standard error of a variance estimate is about total * sqrt(2/n) = 0.64.
        assertEquals(total, sumSq / sums, 3.0);
    }

    @Test
    void singleClientRhoIsTheCentralDiscreteGaussianBound() {
        // n = 1: tau = 0 and rho = Delta^2 / (2 sigma^2) (Canonne, Kamath, Steinke 2020).
        assertEquals(0.0, DistributedDiscreteGaussian.tau(3.0, 1));
        assertEquals(100.0 / (2 * 25.0), DistributedDiscreteGaussian.rho(5.0, 1, 10.0, 1000), 1e-12);
    }

    @Test
    void manyClientsApproachTheCentralBoundOfTheSum() {
        double sigma = 4.0;
        int n = 100;
        double tau = DistributedDiscreteGaussian.tau(sigma, n);
        assertTrue(tau < 1e-60, "tau is negligible for sigma 4: " + tau);
        double rho = DistributedDiscreteGaussian.rho(sigma, n, 50.0, 10_000);
        assertEquals(50.0 * 50.0 / (2 * n * sigma * sigma), rho, 1e-9);
        // For small sigma the tau term makes rho larger than the central bound.
        double small = DistributedDiscreteGaussian.rho(0.5, n, 5.0, 10_000);
        assertTrue(small > 25.0 / (2 * n * 0.25), "rho " + small);
    }

    @Test
    void roundedL2BoundFollowsTheorem1() {
        assertEquals(10 + 10, DistributedDiscreteGaussian.roundedL2Bound(10, 0, 100), 1e-12);
        double expected = Math.sqrt(100 + 25 + Math.sqrt(2 * Math.log(1 / Math.exp(-0.5))) * (10 + 5));
        assertEquals(Math.min(20, expected), DistributedDiscreteGaussian.roundedL2Bound(10, Math.exp(-0.5), 100), 1e-12);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributedDiscreteGaussian.perClientSampler(10, 0, TestRandom.seeded("x")));
        assertEquals("number of clients must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistributedDiscreteGaussian.rho(0.3, 5, 1, 10));
        assertEquals("per-client stddev must be >= 0.5 for this bound, got 0.3", e.getMessage());
    }
}
