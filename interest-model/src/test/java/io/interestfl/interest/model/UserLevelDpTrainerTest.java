package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.clipping.L2Clipper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User-level DP-SGD: DL4J gradient plumbing, clipping, noise, accounting (small synthetic models). */
class UserLevelDpTrainerTest {
    static final int C = InterestModelTest.C;

    @BeforeAll
    static void threads() {
        InterestModel.configureThreads(1);
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Small model whose batch holds every synthetic example, so one {@code train} epoch is one full-batch step. */
    static ModelConfig fullBatch(String arch) {
        return InterestModelTest.small(arch).withBatchSize(1000);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * The plumbing the DP trainer relies on: the micro-batch gradient is that of the mean loss, and applying it
     * through Adam reproduces DL4J's own fit step (two steps, so Adam's state and iteration count carry on).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void applyingTheMeanGradientThroughAdamEqualsFit(String arch) {
        List<CustomerHistory> data = InterestModelTest.synthetic(20, 5);
        try (InterestModel fit = InterestModel.create(fullBatch(arch));
             InterestModel manual = InterestModel.create(fullBatch(arch))) {
            List<Example> all = manual.examples(data);
            for (int step = 0; step < 2; step++) {
                fit.train(data, 1);
                BatchGradient g = manual.dpBatchGradient(all);
                // fit applies DL4J's gradient, doubled under the attention layer (InterestModelGradientTest)
                manual.dpApplyGradient(manual.asFitGradient(g.gradient()));
            }
            float[] a = fit.parameters(), b = manual.parameters();
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            }
            assertTrue(maxDiff < 2e-5, arch + ": max parameter difference " + maxDiff);

            // mean, not sum: the gradient of two rows is the average of their gradients, each weighted by its
            // targets (one per row; a sasrec window has one per labelled position)
            BatchGradient g01 = manual.dpBatchGradient(all.subList(0, 2));
            float[] g0 = manual.dpBatchGradient(all.subList(0, 1)).gradient();
            float[] g1 = manual.dpBatchGradient(all.subList(1, 2)).gradient();
            int t0 = all.get(0).targets(), t1 = all.get(1).targets();
            if (arch.equals("sasrec")) {
                assertEquals(3, t0, "one window holds a customer's whole prefix and all 3 of its targets");
                assertEquals(3, t1);
            }
            for (int i = 0; i < g0.length; i++) {
                assertEquals((t0 * g0[i] + t1 * g1[i]) / (t0 + t1), g01.gradient()[i], 1e-5, "coordinate " + i);
            }
            assertTrue(g01.meanLoss() > 0 && Double.isFinite(g01.meanLoss()));
        }
    }

    /** Every sampled customer's contribution is clipped to C (checked on the vectors actually summed). */
    @Test
    void noCustomerContributionExceedsTheClipNorm() {
        List<CustomerHistory> data = InterestModelTest.synthetic(30, 6);
        double clip = 0.01;
        try (InterestModel m = InterestModel.create(InterestModelTest.small("lstm"))) {
            UserLevelDpTrainer t = new UserLevelDpTrainer(m, new DpSgdConfig(clip, 1.0, 10), seeded(1));
            List<Double> norms = new ArrayList<>();
            List<Double> rawNorms = new ArrayList<>();
            t.observer = (id, gradient, factor, norm) -> {
                double ss = 0;
                for (float v : gradient) {
                    double x = v * factor;          // exactly what is added to the sum
                    ss += x * x;
                }
                norms.add(Math.sqrt(ss));
                rawNorms.add(norm);
                assertEquals(L2Clipper.norm(gradient), norm);
            };
            TrainingStats s = t.train(data, 2);
            assertEquals(6, s.steps(), "2 epochs x round(30 / 10)");
            assertEquals(t.lastReport().customersSampled(), norms.size());
            assertTrue(norms.size() > 30, "about 60 customers sampled, got " + norms.size());
            for (double n : norms) {
                assertTrue(n <= clip, "contribution norm " + n + " > C = " + clip);
            }
            assertTrue(rawNorms.stream().allMatch(n -> n > clip), "all raw gradients were above C here: " + rawNorms);
            assertEquals(1.0, t.lastReport().clippedFraction());
            assertEquals(clip, norms.get(0), clip * 1e-6, "a clipped contribution has norm C");
        }
    }

    @Test
    void clipFactorNeverLetsANormExceedC() {
        assertEquals(1.0, UserLevelDpTrainer.clipFactor(0.5, 1.0));
        assertEquals(1.0, UserLevelDpTrainer.clipFactor(0, 1.0));
        java.util.Random r = new java.util.Random(12);
        for (int k = 0; k < 100; k++) {
            float[] v = new float[1 + r.nextInt(2000)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 3));
            }
            double norm = L2Clipper.norm(v);
            double c = k % 2 == 0 ? norm : norm * r.nextDouble();   // exactly at C, or above it
            double f = UserLevelDpTrainer.clipFactor(norm, c);
            java.math.BigDecimal ss = java.math.BigDecimal.ZERO;   // exact norm of the double products
            for (float x : v) {
                java.math.BigDecimal d = new java.math.BigDecimal(x * f);
                ss = ss.add(d.multiply(d));
            }
            assertTrue(ss.compareTo(new java.math.BigDecimal(c).multiply(new java.math.BigDecimal(c))) <= 0,
                    "scaled norm^2 " + ss + " > C^2 for C = " + c);
            assertTrue(f < 1 && f > (c / norm) * (1 - 1e-8));
        }
    }

    /**
     * Without noise, with a huge clip norm and q = 1, user-level DP-SGD is plain full-batch training whenever
     * every customer has the same number of examples (the mean of customer means is the example mean): the step
     * direction equals the normal gradient and the trained parameters equal those of full-batch Adam on the
     * true gradient (for the LSTM that is train(); for attention train() feeds Adam DL4J's doubled gradient,
     * which moves near-zero coordinates differently through Adam's epsilon).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void withoutNoiseAndWithAHugeClipNormItIsNormalTraining(String arch) {
        List<CustomerHistory> data = InterestModelTest.synthetic(16, 7);   // 3 examples each
        try (InterestModel dp = InterestModel.create(fullBatch(arch));
             InterestModel plain = InterestModel.create(fullBatch(arch))) {
            UserLevelDpTrainer t = new UserLevelDpTrainer(dp, new DpSgdConfig(1e9, 0.0, 16), seeded(2));
            float[] step = t.privatizedGradient(t.microBatches(data), 16);
            float[] normal = dp.dpBatchGradient(dp.examples(data)).gradient();
            assertTrue(cosine(step, normal) > 0.99999, "cosine " + cosine(step, normal));

            TrainingStats s = t.train(data, 2);
            List<Example> all = plain.examples(data);
            for (int i = 0; i < 2; i++) {
                plain.dpApplyGradient(plain.dpBatchGradient(all).gradient());
            }
            if (arch.equals("lstm")) {
                try (InterestModel fitted = InterestModel.create(fullBatch(arch))) {
                    fitted.train(data, 2);
                    assertArrayEquals(fitted.parameters(), plain.parameters(), 2e-5f, "lstm: true gradient = fit's");
                }
            }
            assertEquals(2, s.steps());
            assertEquals(48, s.examples());
            assertNull(t.lastMechanism(), "z = 0 is not private: nothing to account");
            float[] a = dp.parameters(), b = plain.parameters();
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            }
            assertTrue(maxDiff < 5e-5, arch + ": max parameter difference to normal training " + maxDiff);
        }
    }

    /**
     * The noise on one step's averaged gradient has standard deviation z*C/(q*N) per coordinate: compare the
     * privatized gradient of the same sampled customers with z = 2 against z = 0 (10 steps x 2,058 coordinates).
     * The step with nobody sampled is pure noise of the same scale.
     */
    @Test
    void noiseOnTheAveragedGradientHasStddevZCOverQN() {
        List<CustomerHistory> data = InterestModelTest.synthetic(40, 8);
        double clip = 0.5, z = 2.0, expected = 8;   // q = 0.2, q*N = 8: stddev 0.125
        try (InterestModel m = InterestModel.create(InterestModelTest.small("lstm"))) {
            UserLevelDpTrainer exact = new UserLevelDpTrainer(m, new DpSgdConfig(clip, 0.0, expected), seeded(3));
            UserLevelDpTrainer noisy = new UserLevelDpTrainer(m, new DpSgdConfig(clip, z, expected), seeded(4));
            List<UserLevelDpTrainer.MicroBatch> sampled = exact.microBatches(data).subList(0, 8);
            float[] clean = exact.privatizedGradient(sampled, expected);
            double sum = 0, sumSq = 0;
            long n = 0;
            for (int rep = 0; rep < 10; rep++) {
                float[] g = noisy.privatizedGradient(sampled, expected);
                for (int i = 0; i < g.length; i++) {
                    double d = (double) g[i] - clean[i];
                    sum += d;
                    sumSq += d * d;
                    n++;
                }
            }
            double expectedStd = z * clip / expected;
            double mean = sum / n, std = Math.sqrt(sumSq / n - mean * mean);
            assertEquals(expectedStd, std, 0.02 * expectedStd, "empirical noise stddev over " + n + " coordinates");
            assertEquals(0.0, mean, 4 * expectedStd / Math.sqrt(n));

            float[] onlyNoise = noisy.privatizedGradient(List.of(), expected);
            double ss = 0;
            for (float v : onlyNoise) {
                ss += (double) v * v;
            }
            assertEquals(expectedStd, Math.sqrt(ss / onlyNoise.length), 0.06 * expectedStd);
        }
    }

    /** The mechanism a run spends is SubsampledGaussian(q, z, steps) and its epsilon is the accountant's. */
    @Test
    void accountedMechanismMatchesTheRdpAccountant() {
        DpSgdConfig abadi = new DpSgdConfig(1.0, 4.0, 100);
        SubsampledGaussian mech = abadi.mechanism(10_000, 100);
        assertEquals(new SubsampledGaussian(0.01, 4.0, 10_000), mech);
        double improved = new RdpAccountant().compose(mech).epsilon(1e-5, EpsilonConversion.IMPROVED).epsilon();
        assertEquals(RdpAccountant.epsilon(0.01, 4.0, 10_000, 1e-5, EpsilonConversion.IMPROVED).epsilon(), improved, 1e-12);
        assertEquals(1.0355, improved, 1e-3, "Abadi et al. 2016 with the improved conversion");
        assertEquals(1.26, new RdpAccountant().compose(mech).epsilon(1e-5, EpsilonConversion.CLASSIC).epsilon(), 0.01);

        List<CustomerHistory> data = InterestModelTest.synthetic(15, 9);
        try (InterestModel m = InterestModel.create(InterestModelTest.small("lstm"))) {
            DpSgdConfig cfg = new DpSgdConfig(1.0, 1.1, 3);
            UserLevelDpTrainer t = new UserLevelDpTrainer(m, cfg, seeded(5));
            TrainingStats s = t.train(data, 2);
            assertEquals(cfg.mechanism(15, 2), t.lastMechanism());
            assertEquals(new SubsampledGaussian(0.2, 1.1, 10), t.lastMechanism());
            assertEquals(s.steps(), t.lastMechanism().steps());
            assertEquals(0.2, t.lastReport().samplingRate(), 1e-15);
        }

        DpSgdConfig cal = DpSgdConfig.calibrated(2.0, 1e-5, 181, 10, 1.0, 32, 32);
        double eps = RdpAccountant.epsilon(32.0 / 181, cal.noiseMultiplier(), 10L * 6, 1e-5, EpsilonConversion.IMPROVED).epsilon();
        assertTrue(eps <= 2.0 && eps > 1.99, "calibrated z " + cal.noiseMultiplier() + " gives epsilon " + eps);
        assertThrows(IllegalStateException.class, () -> cal.withNoiseMultiplier(0).mechanism(181, 1));
    }

    @Test
    void poissonSamplingIncludesEachCustomerWithProbabilityQ() {
        try (InterestModel m = InterestModel.create(InterestModelTest.small("lstm"))) {
            UserLevelDpTrainer t = new UserLevelDpTrainer(m, new DpSgdConfig(1, 1, 50), seeded(6));
            List<UserLevelDpTrainer.MicroBatch> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(new UserLevelDpTrainer.MicroBatch(i, List.of()));
            }
            int[] hits = new int[200];
            long total = 0;
            int draws = 400;
            for (int d = 0; d < draws; d++) {
                for (UserLevelDpTrainer.MicroBatch b : t.poissonSample(all, 0.25)) {
                    hits[(int) b.customerId()]++;
                    total++;
                }
            }
            // expected 20,000 inclusions, sd sqrt(200*400*0.25*0.75) = 122
            assertEquals(20_000, total, 500);
            for (int h : hits) {
                assertTrue(h > 60 && h < 140, "one customer was included " + h + " times in 400 draws (expected 100)");
            }
            assertEquals(all, t.poissonSample(all, 1.0));
        }
    }

    @Test
    void configIsValidatedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DpSgdConfig(-1, Double.NaN, 0, 0));
        assertTrue(e.getMessage().contains("clipNorm (per-customer L2 bound) must be finite and > 0, got -1.0"), e.getMessage());
        assertTrue(e.getMessage().contains("noiseMultiplier must be finite and >= 0, got NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("expectedCustomersPerStep must be finite and > 0, got 0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("examplesPerCustomerCap must be >= 1, got 0"), e.getMessage());
        DpSgdConfig cfg = new DpSgdConfig(1, 1, 32);
        assertEquals(32, cfg.examplesPerCustomerCap());
        assertEquals(1.0, cfg.samplingRate(20), "more expected than customers: everyone, every step");
        assertEquals(1, cfg.stepsPerEpoch(20));
        assertEquals(6, cfg.stepsPerEpoch(181));
        assertThrows(IllegalArgumentException.class, () -> cfg.samplingRate(0));
    }

    @Test
    void microBatchesKeepEachCustomersMostRecentExamplesUpToTheCap() {
        List<CustomerHistory> data = InterestModelTest.synthetic(3, 10);   // 3 examples per customer
        try (InterestModel m = InterestModel.create(InterestModelTest.small("lstm"))) {
            UserLevelDpTrainer t = new UserLevelDpTrainer(m, new DpSgdConfig(1, 1, 1, 2), seeded(7));
            List<UserLevelDpTrainer.MicroBatch> mb = t.microBatches(data);
            assertEquals(3, mb.size());
            List<Example> all = m.examples(List.of(data.get(1)));
            assertEquals(data.get(1).customerId(), mb.get(1).customerId());
            assertEquals(2, mb.get(1).examples().size());
            assertArrayEquals(all.get(1).input(), mb.get(1).examples().get(0).input());
            assertArrayEquals(all.get(2).label(), mb.get(1).examples().get(1).label());
            assertEquals(0, t.train(List.of(), 3).steps());
            assertEquals(0, t.train(data, 0).steps());
        }
    }
}
