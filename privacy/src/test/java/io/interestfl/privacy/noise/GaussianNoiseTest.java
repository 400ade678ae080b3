package io.interestfl.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

    private static final int N = 200_000;

    @Test
    void samplesHaveTheRequestedMeanAndStddev() {
        double sigma = 2.5;
        GaussianNoise noise = new GaussianNoise(sigma, TestRandom.seeded("gaussian-moments"));
        double sum = 0;
        double sumSq = 0;
        double sumFourth = 0;
        for (int i = 0; i < N; i++) {
            double x = noise.sample();
            sum += x;
            sumSq += x * x;
            sumFourth += x * x * x * x;
        }
        double mean = sum / N;
        double std = Math.sqrt(sumSq / N - mean * mean);
        // Standard error of the mean is sigma / sqrt(N) = 0.0056; allow 5 of them.
        assertEquals(0.0, mean, 5 * sigma / Math.sqrt(N), "mean");
        assertEquals(sigma, std, 0.01 * sigma, "stddev within 1%");
        // Kurtosis of a normal is 3 (a wrong sampler, e.g. uniform or Laplace, fails this).
        double kurtosis = (sumFourth / N) / Math.pow(sumSq / N, 2);
        assertEquals(3.0, kurtosis, 0.05, "kurtosis");
    }

    @Test
    void tailProbabilitiesMatchTheNormal() {
        GaussianNoise noise = new GaussianNoise(1.0, TestRandom.seeded("gaussian-tails"));
        int beyond1 = 0;
        int beyond2 = 0;
        for (int i = 0; i < N; i++) {
            double x = Math.abs(noise.sample());
            if (x > 1) {
                beyond1++;
            }
            if (x > 2) {
                beyond2++;
            }
        }
        // P(|Z| > 1) = 0.317311, P(|Z| > 2) = 0.0455003; binomial standard errors 0.00104, 0.00047.
        assertEquals(0.317311, beyond1 / (double) N, 0.005);
        assertEquals(0.0455003, beyond2 / (double) N, 0.0025);
    }

    @Test
    void addsNoiseToFloatAndDoubleVectors() {
        GaussianNoise noise = GaussianNoise.forMechanism(1.0, 0.5, TestRandom.seeded("vectors"));
        assertEquals(0.5, noise.stddev());
        float[] f = new float[50_000];
        double[] d = new double[50_000];
        java.util.Arrays.fill(d, 10.0);
        noise.addTo(f);
        noise.addTo(d);
        double sf = 0;
        double sd = 0;
        for (int i = 0; i < f.length; i++) {
            sf += f[i] * (double) f[i];
            sd += (d[i] - 10) * (d[i] - 10);
        }
        assertEquals(0.5, Math.sqrt(sf / f.length), 0.01);
        assertEquals(0.5, Math.sqrt(sd / d.length), 0.01);
        GaussianNoise zero = new GaussianNoise(0.0, TestRandom.seeded("zero"));
        double[] unchanged = {1.0, 2.0};
        zero.addTo(unchanged);
        assertTrue(unchanged[0] == 1.0 && unchanged[1] == 2.0);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianNoise(-1.0, TestRandom.seeded("x")));
        assertEquals("noise stddev must be finite and >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianNoise.forMechanism(1.0, 0.0, TestRandom.seeded("x")));
        assertEquals("clip norm must be finite and > 0, got 0.0", e.getMessage());
    }
}
