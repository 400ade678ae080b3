package io.interestfl.client.model;

import io.interestfl.client.data.Basket;
import io.interestfl.client.data.CustomerHistory;
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
    @ValueSource(strings = {"lstm", "attention"})
    void applyingTheMeanGradientThroughAdamEqualsFit(String arch) {
        List<CustomerHistory> data = InterestModelTest.synthetic(20, 5);
        try (InterestModel fit = InterestModel.create(fullBatch(arch));
             InterestModel manual = InterestModel.create(fullBatch(arch))) {
            List<InterestModel.Example> all = manual.examples(data);
            for (int step = 0; step < 2; step++) {
                fit.train(data, 1);
                InterestModel.BatchGradient g = manual.dpBatchGradient(all);
                manual.dpApplyGradient(g.gradient());
            }
            float[] a = fit.parameters(), b = manual.parameters();
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            }
            assertTrue(maxDiff < 2e-5, arch + ": max parameter difference " + maxDiff);

            // mean, not sum: the gradient of two examples is the average of their gradients
            InterestModel.BatchGradient g01 = manual.dpBatchGradient(all.subList(0, 2));
            float[] g0 = manual.dpBatchGradient(all.subList(0, 1)).gradient();
            float[] g1 = manual.dpBatchGradient(all.subList(1, 2)).gradient();
            for (int i = 0; i < g0.length; i++) {
                assertEquals((g0[i] + g1[i]) / 2, g01.gradient()[i], 1e-5, "coordinate " + i);
            }
            assertTrue(g01.meanLoss() > 0 && Double.isFinite(g01.meanLoss()));
        }
    }
}
