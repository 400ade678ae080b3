package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests of the model on small synthetic data. */
class InterestModelTest {
    static final int C = 50;

    @BeforeAll
    static void threads() {
        InterestModel.configureThreads(1);
    }

    static ModelConfig small(String arch) {
        return new ModelConfig(arch, C, 6, 8, 12, 0.01, 16, 7);
    }

    /** Customers whose next basket is predictable: each customer buys items (k, k+1) then (k+2, k+3)... */
    static List<CustomerHistory> synthetic(int customers, long seed) {
        Random r = new Random(seed);
        List<CustomerHistory> out = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            int k = 2 + r.nextInt(C - 10);
            List<Basket> bs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bs.add(new Basket(i, new int[]{k + 2 * i, k + 2 * i + 1}));
            }
            out.add(new CustomerHistory(c, bs));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void parametersRoundTripExactly(String arch) {
        try (InterestModel m = InterestModel.create(small(arch))) {
            float[] p = m.parameters();
            assertEquals(m.parameterCount(), p.length);
            long sum = m.parameterShapes().values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
            assertEquals(p.length, sum, "parameterShapes covers the flat vector");
            float[] q = p.clone();
            Random r = new Random(3);
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) r.nextGaussian();
            }
            m.setParameters(q);
            assertArrayEquals(q, m.parameters());
            float[] viaBytes = io.interestfl.protocol.FloatVectors.fromBytes(io.interestfl.protocol.FloatVectors.toBytes(m.parameters()));
            assertArrayEquals(q, viaBytes);
            // parameters() is a copy
            m.parameters()[0] = 12345f;
            assertEquals(q[0], m.parameters()[0]);
        }
    }

    @Test
    void lstmParameterLayout() {
        try (InterestModel m = InterestModel.create(small("lstm").withContextInputs(false))) {
            Map<String, long[]> shapes = m.parameterShapes();
            assertEquals(List.of("itemEmb_W", "lstm_W", "lstm_RW", "lstm_b", "out_W", "out_b"), List.copyOf(shapes.keySet()));
            assertArrayEquals(new long[]{C, 8}, shapes.get("itemEmb_W"));
            assertArrayEquals(new long[]{12, C}, shapes.get("out_W"));
            // embedding C*8 + LSTM (8*48 + 12*48 + 48) + output (12*C + C)
            assertEquals(C * 8 + (8 * 48 + 12 * 48 + 48) + (12 * C + C), m.parameterCount());
        }
    }

    @Test
    void gruParameterLayout() {
        try (InterestModel m = InterestModel.create(small("gru").withContextInputs(false))) {
            Map<String, long[]> shapes = m.parameterShapes();
            assertEquals(List.of("itemEmb_W", "gru_W", "gru_RW", "gru_b", "out_W", "out_b"), List.copyOf(shapes.keySet()));
            assertArrayEquals(new long[]{8, 36}, shapes.get("gru_W"));
            assertArrayEquals(new long[]{12, 36}, shapes.get("gru_RW"));
            // embedding C*8 + GRU (8*36 + 12*36 + 36) + output (12*C + C)
            assertEquals(C * 8 + (8 * 36 + 12 * 36 + 36) + (12 * C + C), m.parameterCount());
        }
    }

    /** SameDiff prints a line per op when it builds the GRU's gradient function: none reach System.out. */
    @Test
    void gruTrainingKeepsStdoutClean() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(seen, true));
        try (InterestModel m = InterestModel.create(small("gru"))) {
            m.train(synthetic(20, 1), 1);
            System.out.println("ours");
        } finally {
            System.setOut(out);
        }
        assertEquals("ours" + System.lineSeparator(), seen.toString());
    }

    @Test
    void setParametersChecksLengthAndFiniteness() {
        try (InterestModel m = InterestModel.create(small("lstm"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.setParameters(new float[3]));
            assertTrue(e.getMessage().contains("has length 3") && e.getMessage().contains(m.parameterCount() + " parameters"),
                    e.getMessage());
            float[] p = m.parameters();
            p[5] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> m.setParameters(p));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void sameSeedSameModelAndScoresAreDistributions(String arch) {
        try (InterestModel a = InterestModel.create(small(arch)); InterestModel b = InterestModel.create(small(arch));
             InterestModel c = InterestModel.create(small(arch).withSeed(8))) {
            assertArrayEquals(a.parameters(), b.parameters());
            assertFalse(Arrays.equals(a.parameters(), c.parameters()));
            int[][] hs = {{}, {2}, {3, 4, 5}, {2, 3, 4, 5, 6, 7, 8, 9, 10}, {1, 1}, {999, -4}};
            float[][] s = a.score(hs);
            assertEquals(hs.length, s.length);
            for (float[] row : s) {
                assertEquals(C, row.length);
                double sum = 0;
                for (float v : row) {
                    assertTrue(v >= 0 && Float.isFinite(v));
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-4);
            }
            // truncation to the last historyLength (6) items
            float[][] t = a.score(new int[][]{{5, 6, 7, 8, 9, 10}, {2, 3, 4, 5, 6, 7, 8, 9, 10}});
            assertArrayEquals(t[0], t[1], 1e-6f);
            // out-of-range ids are fed as OOV
            assertArrayEquals(a.score(new int[][]{{1, 1}})[0], s[5], 1e-6f);
            assertArrayEquals(s[4], s[5], 1e-6f);
            assertEquals(0, a.score(new int[0][]).length);
        }
    }

    @Test
    void examplesAreLeftPaddedHistoriesAndDistinctLabels() {
        try (InterestModel m = InterestModel.create(new ModelConfig("lstm", C, 4, 4, 4, 0.01, 4, 1))) {
            List<CustomerHistory> hs = List.of(new CustomerHistory(1, List.of(
                    new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{4, 1}),
                    new Basket(3, new int[]{1}),                       // only OOV: no example
                    new Basket(4, new int[]{5, 6, 7}))),
                    new CustomerHistory(2, List.of(new Basket(1, new int[]{9}))));  // one basket: no example
            List<Example> ex = m.examples(hs);
            assertEquals(2, ex.size());
            assertArrayEquals(new int[]{0, 0, 2, 3}, ex.get(0).input());
            assertArrayEquals(new int[]{4}, ex.get(0).label(), "OOV dropped from label");
            assertArrayEquals(new int[]{3, 4, 1, 1}, ex.get(1).input(), "last 4 items, most recent last, OOV kept");
            assertArrayEquals(new int[]{5, 6, 7}, ex.get(1).label());
        }
    }

    /**
     * sasrec windows: each label sits at the last item of the basket before it; windows of 4 overlap by half and
     * each trains only its last 2 positions (a window holding the whole prefix all of its), so every target once;
     * oldest first.
     */
    @Test
    void sasrecWindowsTrainEveryTargetOnceWithHalfAWindowOfHistory() {
        try (InterestModel m = InterestModel.create(new ModelConfig("sasrec", C, 4, 4, 4, 0.01, 4, 1))) {
            List<CustomerHistory> hs = List.of(new CustomerHistory(1, List.of(
                    new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{4}),
                    new Basket(3, new int[]{5, 6, 7}), new Basket(4, new int[]{8}))));
            List<Example> ex = m.examples(hs);
            assertEquals(2, ex.size());
            assertArrayEquals(new int[]{2, 3, 4, 5}, ex.get(0).input(), "the whole prefix: every label in it");
            assertArrayEquals(new int[][]{null, {4}, {5, 6, 7}, null}, ex.get(0).positionLabels());
            assertArrayEquals(new int[]{4, 5, 6, 7}, ex.get(1).input());
            assertArrayEquals(new int[][]{null, null, null, {8}}, ex.get(1).positionLabels());
            List<Example> short1 = m.examples(List.of(new CustomerHistory(2, List.of(
                    new Basket(1, new int[]{2}), new Basket(2, new int[]{3})))));
            assertArrayEquals(new int[]{0, 0, 0, 2}, short1.get(0).input(), "left-padded like the scoring rows");
            assertEquals(3, m.exampleCount(hs), "the targets, as for the other architectures");
            assertThrows(IllegalArgumentException.class,
                    () -> new ModelConfig("sasrec", C, 4, 4, 4, 0.01, 4, 1, true), "no context inputs");
        }
    }

    @Test
    void noExamplesMeansNoSteps() {
        try (InterestModel m = InterestModel.create(small("lstm"))) {
            float[] before = m.parameters();
            TrainingStats s = m.train(List.of(new CustomerHistory(1, List.of(new Basket(1, new int[]{2})))), 3);
            assertEquals(0, s.steps());
            assertEquals(0, s.examples());
            assertEquals(0.0, s.meanLoss());
            assertEquals(0, m.train(List.of(), 1).steps());
            assertArrayEquals(before, m.parameters());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void trainingLowersTheLoss(String arch) {
        List<CustomerHistory> data = synthetic(64, 1);
        try (InterestModel m = InterestModel.create(small(arch))) {
            TrainingStats first = m.train(data, 1);
            assertEquals(64 * 3, first.examples());
            // sasrec: one window per customer (its 6 first items hold the whole prefix of all 3 labels, after items
            // 2, 4 and 6), and a batch takes windows until it holds >= 16 targets: 6 windows, 64 in 11 steps
            assertEquals(arch.equals("sasrec") ? 11 : 12, first.steps(), "192 examples / batch 16");
            TrainingStats later = null;
            for (int i = 0; i < 15; i++) {
                later = m.train(data, 1);
            }
            assertTrue(later.meanLoss() < first.meanLoss() - 0.5,
                    arch + ": loss " + first.meanLoss() + " -> " + later.meanLoss());
            assertTrue(Double.isFinite(later.meanLoss()));
        }
    }

    /**
     * The documented Adam policy: setParameters resets optimizer state (and the shuffling counter), so a
     * model that has already trained behaves exactly like a fresh one given the same global parameters.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void setParametersResetsOptimizerState(String arch) {
        List<CustomerHistory> other = synthetic(40, 2);
        List<CustomerHistory> local = synthetic(40, 3);
        try (InterestModel used = InterestModel.create(small(arch));
             InterestModel fresh = InterestModel.create(small(arch))) {
            float[] global = used.parameters();
            used.train(other, 2);                 // builds Adam state and advances counters
            used.setParameters(global);
            fresh.setParameters(global);
            used.train(local, 2);
            fresh.train(local, 2);
            assertArrayEquals(fresh.parameters(), used.parameters());
        }
    }

    /**
     * Padding is masked: the embedding row of the padding id (0) does not influence the scores of any
     * non-empty history (parameters are stored column-major per parameter, so row 0 of the first
     * [catalogueSize, embedding] matrix is at offsets 0, C, 2C, ...).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
    void paddingIsMasked(String arch) {
        try (InterestModel m = InterestModel.create(small(arch))) {
            String first = m.parameterShapes().keySet().iterator().next();
            assertArrayEquals(new long[]{C, 8}, m.parameterShapes().get(first));
            int[][] hs = {{2}, {3, 4, 5}, {9, 1, 7, 7}, {2, 3, 4, 5, 6, 7}};
            float[][] before = m.score(hs);
            float[] p = m.parameters();
            for (int col = 0; col < 8; col++) {
                p[col * C] += 5f;                      // row 0 = padding embedding
            }
            m.setParameters(p);
            float[][] after = m.score(hs);
            for (int i = 0; i < hs.length; i++) {
                assertArrayEquals(before[i], after[i], 1e-6f, arch + " history " + i);
            }
            // sanity: the same change to a real item's row does change its scores
            p[2] += 5f;                                // row 2, column 0
            m.setParameters(p);
            assertFalse(Arrays.equals(before[0], m.score(hs)[0]));
        }
    }

    /** Recurrent masking is exact: a left-padded history scores like the same items without any padding. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void recurrentPaddingEqualsAShorterWindow(String arch) {
        try (InterestModel six = InterestModel.create(small(arch));
             InterestModel three = InterestModel.create(new ModelConfig(arch, C, 3, 8, 12, 0.01, 16, 7))) {
            assertEquals(six.parameterCount(), three.parameterCount(), "RNN parameters do not depend on the length");
            three.setParameters(six.parameters());
            int[][] hs = {{4, 9, 2}, {7, 7, 30}};
            float[][] a = six.score(hs);
            float[][] b = three.score(hs);
            for (int i = 0; i < hs.length; i++) {
                assertArrayEquals(b[i], a[i], 1e-6f);
            }
        }
    }

    @Test
    void usableFromDifferentThreads() throws Exception {
        List<CustomerHistory> data = synthetic(32, 4);
        try (InterestModel m = InterestModel.create(small("lstm"))) {
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                TrainingStats s = ex.submit(() -> m.train(data, 1)).get();
                assertEquals(6, s.steps());
                float[][] a = ex.submit(() -> m.score(new int[][]{{2, 3}})).get();
                float[][] b = m.score(new int[][]{{2, 3}});
                assertArrayEquals(a[0], b[0]);
            } finally {
                ex.shutdown();
            }
        }
    }

    @Test
    void closedModelRejectsCalls() {
        InterestModel m = InterestModel.create(small("lstm"));
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, m::parameters);
        assertThrows(IllegalStateException.class, () -> m.score(new int[][]{{2}}));
    }

    @Test
    void configureThreadsValidates() {
        assertThrows(IllegalArgumentException.class, () -> InterestModel.configureThreads(0));
    }

    @Test
    void adamStateCarriesOverANewGlobalModel() {
        try (InterestModel m = InterestModel.create(small("lstm"))) {
            List<CustomerHistory> data = synthetic(32, 4);
            m.train(data, 1);
            float[] state = m.optimizerState();
            assertTrue(state[state.length - 2] > 0, "the iteration count is carried");
            assertEquals(1f, state[state.length - 1], "the shuffling epoch counter is carried");
            boolean moments = false;
            for (int i = 0; i < state.length - 2; i++) {
                moments |= state[i] != 0;
            }
            assertTrue(moments, "Adam has moments after an epoch");
            m.setParameters(m.parameters());   // a new global model arrives: Adam restarts
            assertFalse(Arrays.equals(state, m.optimizerState()));
            m.restoreOptimizerState(state);
            assertArrayEquals(state, m.optimizerState());
            assertThrows(IllegalArgumentException.class, () -> m.restoreOptimizerState(new float[3]));
        }
    }

    /**
     * A client that carries its optimizer state through a round boundary trains exactly as one that never stopped:
     * epoch 1, the same parameters received as a "global model", the state put back, epoch 2, equals two epochs in
     * one call bit for bit; without the state (what a new global model alone gives) it does not.
     */
    @Test
    void carriedStateMakesTwoRoundsOfOneEpochEqualTwoEpochs() {
        List<CustomerHistory> data = synthetic(48, 5);
        for (String architecture : List.of("lstm", "attention")) {
            float[] straight;
            try (InterestModel m = InterestModel.create(small(architecture))) {
                m.train(data, 2);
                straight = m.parameters();
            }
            try (InterestModel m = InterestModel.create(small(architecture))) {
                m.train(data, 1);
                float[] state = m.optimizerState();
                float[] afterOne = m.parameters();
                m.setParameters(afterOne);
                m.restoreOptimizerState(state);
                m.train(data, 1);
                assertArrayEquals(straight, m.parameters(), architecture + ": carried state continues the run exactly");
                m.setParameters(afterOne);
                m.train(data, 1);
                assertFalse(Arrays.equals(straight, m.parameters()), architecture + ": a reset state does not");
            }
        }
    }

    /**
     * SCAFFOLD's corrected local training: a zero correction trains the LSTM exactly as plain training does (the same
     * gradient, the same Adam step), and a correction on one coordinate pushes it down against plain training (the
     * correction is a gradient: Adam descends it); the mean gradient is that of the whole local data set.
     */
    @Test
    void driftCorrectionIsAddedToEveryStepsGradient() {
        List<CustomerHistory> data = synthetic(40, 9);
        try (InterestModel plain = InterestModel.create(small("lstm"));
             InterestModel corrected = InterestModel.create(small("lstm"))) {
            float[] start = plain.parameters();
            float[] g = corrected.meanGradient(data);
            assertEquals(start.length, g.length);
            assertTrue(L2.norm(g) > 0, "a gradient at the initial weights");
            plain.train(data, 2);
            corrected.train(data, 2, new float[start.length]);
            assertArrayEquals(plain.parameters(), corrected.parameters(), 1e-6f, "a zero correction changes nothing");
            int k = start.length - 3;   // a bias of the softmax output
            float[] push = new float[start.length];
            push[k] = 10f;
            corrected.setParameters(start);
            corrected.train(data, 2, push);
            assertTrue(corrected.parameters()[k] < plain.parameters()[k] - 0.01,
                "the corrected coordinate descends: " + corrected.parameters()[k] + " vs " + plain.parameters()[k]);
            assertThrows(IllegalArgumentException.class, () -> corrected.train(data, 1, new float[3]));
            assertEquals(null, corrected.meanGradient(List.of()));
        }
    }

    private static final class L2 {
        static double norm(float[] v) {
            double s = 0;
            for (float x : v) {
                s += x * x;
            }
            return Math.sqrt(s);
        }
    }
}
