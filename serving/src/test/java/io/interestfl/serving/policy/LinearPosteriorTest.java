package io.interestfl.serving.policy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinearPosteriorTest {
    private static final double EPS = 1e-12;

    @Test
    void noObservationsMeanIsTheCustomerVector() {
        LinearPosterior p = new LinearPosterior(2, 2.0, 1.0);
        double[] chol = p.precisionCholesky();
        assertArrayEquals(new double[]{0.3, -0.7}, p.mean(new float[]{0.3f, -0.7f}, chol), 1e-7);
        assertArrayEquals(new double[]{0, 0}, p.mean(null, chol), EPS);
    }

    /**
     * lambda = 2, x = (1, 0), one observation v = (1, 1), r = 0.5: A = [[3, 1], [1, 3]], A^-1 = [[3, -1], [-1, 3]] / 8,
     * lambda x + s = (2.5, 0.5), mean = (7/8, -1/8).
     */
    @Test
    void posteriorAfterOneObservationMatchesHandComputation() {
        LinearPosterior p = new LinearPosterior(2, 2.0, 1.0);
        p.observe(new float[]{1, 1}, 0.5);
        double[] chol = p.precisionCholesky();
        assertArrayEquals(new double[]{7.0 / 8, -1.0 / 8}, p.mean(new float[]{1, 0}, chol), EPS);
        double[] work = new double[2];
        assertEquals(3.0 / 8, LinearPosterior.quadraticForm(chol, 2, new float[]{1, 0}, work), EPS);
        assertEquals(3.0 / 8, LinearPosterior.quadraticForm(chol, 2, new float[]{0, 1}, work), EPS);
        // v^T A^-1 v for v = (1, 1): (3 - 1 - 1 + 3) / 8 = 1/2
        assertEquals(0.5, LinearPosterior.quadraticForm(chol, 2, new float[]{1, 1}, work), EPS);
        assertEquals(1, p.observations());
    }

    @Test
    void clickAfterImpressionEqualsOneObservationWithReward() {
        LinearPosterior a = new LinearPosterior(2, 1.0, 1.0);
        a.observe(new float[]{0.5f, 2}, 0);
        a.addReward(new float[]{0.5f, 2}, 1);
        LinearPosterior b = new LinearPosterior(2, 1.0, 1.0);
        b.observe(new float[]{0.5f, 2}, 1);
        float[] x = {0.1f, 0.2f};
        assertArrayEquals(b.mean(x, b.precisionCholesky()), a.mean(x, a.precisionCholesky()), EPS);
    }

    /** gamma = 0.5, 1-D, lambda = 1: obs (v=1, r=1) then (v=2, r=0): S = 0.5 + 4, s = 0.5; mean = (1*0 + 0.5) / 5.5. */
    @Test
    void discountForgetsOldObservations() {
        LinearPosterior p = new LinearPosterior(1, 1.0, 0.5);
        p.observe(new float[]{1}, 1);
        p.observe(new float[]{2}, 0);
        double[] chol = p.precisionCholesky();
        assertEquals(Math.sqrt(5.5), chol[0], EPS);
        assertEquals(0.5 / 5.5, p.mean(new float[]{0}, chol)[0], EPS);
    }

    @Test
    void thompsonDrawsHaveThePosteriorMeanAndCovariance() {
        LinearPosterior p = new LinearPosterior(2, 2.0, 1.0);
        p.observe(new float[]{1, 1}, 0.5);
        double[] chol = p.precisionCholesky();
        double[] mean = p.mean(new float[]{1, 0}, chol);
        double sigma = 0.5;
        PosteriorPolicy.Estimate e = new PosteriorPolicy.Estimate(mean, chol, sigma);
        SplittableRandom rng = new SplittableRandom(7);
        int n = 200_000;
        double m0 = 0, m1 = 0, c00 = 0, c01 = 0, c11 = 0;
        for (int i = 0; i < n; i++) {
            double[] t = ThompsonSamplingPolicy.LinearPosteriorSampler.sample(e, 1.0, 2, rng);
            double a = t[0] - mean[0], b = t[1] - mean[1];
            m0 += t[0] / n;
            m1 += t[1] / n;
            c00 += a * a / n;
            c01 += a * b / n;
            c11 += b * b / n;
        }
        // covariance sigma^2 A^-1 = 0.25 * [[3, -1], [-1, 3]] / 8
        assertEquals(7.0 / 8, m0, 0.005);
        assertEquals(-1.0 / 8, m1, 0.005);
        assertEquals(0.25 * 3 / 8, c00, 0.002);
        assertEquals(-0.25 / 8, c01, 0.002);
        assertEquals(0.25 * 3 / 8, c11, 0.002);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new LinearPosterior(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearPosterior(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearPosterior(2, 1, 1.5));
    }
}
