package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.Behaviour;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.TimedHistory;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour, time-gap and age inputs ({@link ModelConfig#contextInputs()}). */
class InterestModelContextTest {
    static final int C = 50;
    static final long HOUR = 3600, DAY = 24 * HOUR;

    @BeforeAll
    static void threads() {
        InterestModel.configureThreads(1);
    }

    static ModelConfig small(String arch) {
        return new ModelConfig(arch, C, 6, 8, 12, 0.01, 16, 7, true);
    }

    @Test
    void contextInputsAreOffByDefault() {
        assertFalse(new ModelConfig("lstm", C, 6, 8, 12, 0.01, 16, 7).contextInputs());
        assertFalse(ModelConfig.defaults("attention", C).contextInputs());
        assertTrue(ModelConfig.defaults("attention", C).withContextInputs(true).contextInputs());
    }

    @Test
    void timeBucketsAreLogScale() {
        assertEquals(1, InterestModel.timeBucket(0), "same basket");
        assertEquals(1, InterestModel.timeBucket(-5), "out-of-order clocks count as simultaneous");
        assertEquals(2, InterestModel.timeBucket(1));
        assertEquals(2, InterestModel.timeBucket(HOUR - 1));
        assertEquals(3, InterestModel.timeBucket(HOUR));
        assertEquals(3, InterestModel.timeBucket(DAY - 1));
        assertEquals(4, InterestModel.timeBucket(DAY));
        assertEquals(5, InterestModel.timeBucket(7 * DAY));
        assertEquals(6, InterestModel.timeBucket(30 * DAY));
        assertEquals(7, InterestModel.timeBucket(90 * DAY));
        assertEquals(7, InterestModel.timeBucket(Long.MAX_VALUE));
        assertEquals(InterestModel.TIME_BUCKETS - 1, InterestModel.timeBucket(400 * DAY));
    }

    /** Three embedding tables of the item width, and nothing else, are added; every node builds the same. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void contextAddsThreeSmallTables(String arch) {
        try (InterestModel on = InterestModel.create(small(arch));
             InterestModel off = InterestModel.create(small(arch).withContextInputs(false));
             InterestModel again = InterestModel.create(small(arch))) {
            Map<String, long[]> shapes = on.parameterShapes();
            assertArrayEquals(new long[]{InterestModel.TIME_BUCKETS, 8}, shapes.get("gapEmb_W"));
            assertArrayEquals(new long[]{InterestModel.TIME_BUCKETS, 8}, shapes.get("ageEmb_W"));
            assertArrayEquals(new long[]{InterestModel.BEHAVIOUR_ROWS, 8}, shapes.get("behEmb_W"));
            assertEquals(off.parameterCount() + (8 + 8 + 5) * 8, on.parameterCount());
            List<String> extra = new ArrayList<>(shapes.keySet());
            extra.removeAll(off.parameterShapes().keySet());
            assertEquals(List.of("gapEmb_W", "ageEmb_W", "behEmb_W"), extra);
            assertEquals(List.copyOf(shapes.keySet()), List.copyOf(again.parameterShapes().keySet()));
            assertArrayEquals(on.parameters(), again.parameters());
            long sum = shapes.values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
            assertEquals(on.parameterCount(), sum, "parameterShapes covers the flat vector");
        }
    }

    /** The test: the same items, behaviours and ages, only the gaps between the items differ. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void gapInputChangesPredictionsWhenOnlyTheGapsChange(String arch) {
        int[] items = {2, 3, 4};
        // gaps 100 s (bucket 2) vs 0 s (same basket, bucket 1); every age is 100..300 s (bucket 2)
        TimedHistory spread = new TimedHistory(items, new long[]{0, 100, 200}, null, 300);
        TimedHistory together = new TimedHistory(items, new long[]{0, 0, 0}, null, 300);
        try (InterestModel on = InterestModel.create(small(arch));
             InterestModel off = InterestModel.create(small(arch).withContextInputs(false))) {
            float[][] fresh = on.score(List.of(spread, together));
            assertArrayEquals(fresh[0], fresh[1], arch + ": zero-initialised, a fresh model starts item-only");
            randomize(on);
            float[][] s = on.score(List.of(spread, together));
            assertFalse(Arrays.equals(s[0], s[1]), arch + ": gaps must change the scores");
            float[][] t = off.score(List.of(spread, together));
            assertArrayEquals(t[0], t[1], arch + ": without context inputs times are ignored");
        }
    }

    /** Same items and gaps, the prediction time moves: the age input changes the scores. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void ageInputChangesPredictions(String arch) {
        int[] items = {2, 3, 4};
        long[] times = {0, DAY, 2 * DAY};
        try (InterestModel on = InterestModel.create(small(arch))) {
            randomize(on);
            float[][] s = on.score(List.of(new TimedHistory(items, times, null, 2 * DAY + HOUR),
                    new TimedHistory(items, times, null, 200 * DAY)));
            assertFalse(Arrays.equals(s[0], s[1]));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void behaviourInputChangesPredictions(String arch) {
        int[] items = {2, 3, 4};
        long[] times = {0, DAY, 2 * DAY};
        byte v = Behaviour.VIEW.code(), b = Behaviour.BUY.code();
        try (InterestModel on = InterestModel.create(small(arch))) {
            randomize(on);
            float[][] s = on.score(List.of(new TimedHistory(items, times, new byte[]{v, v, v}, 3 * DAY),
                    new TimedHistory(items, times, new byte[]{b, b, b}, 3 * DAY),
                    new TimedHistory(items, times, null, 3 * DAY)));
            assertFalse(Arrays.equals(s[0], s[1]));
            assertArrayEquals(s[1], s[2], 1e-6f, "no behaviours recorded means bought");
        }
    }

    /** Gaussian parameters (sd 0.3): the context tables start at zero and would otherwise have no effect yet. */
    private static void randomize(InterestModel m) {
        Random r = new Random(11);
        float[] p = new float[m.parameterCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.3 * r.nextGaussian());
        }
        m.setParameters(p);
    }

    /** Item-only histories are timed histories with unknown times. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void itemOnlyHistoriesHaveUnknownTimes(String arch) {
        try (InterestModel m = InterestModel.create(small(arch))) {
            int[][] hs = {{2, 3}, {}, {4, 5, 6, 7, 8, 9, 10}};
            float[][] a = m.score(hs);
            List<TimedHistory> t = new ArrayList<>();
            for (int[] h : hs) {
                t.add(TimedHistory.untimed(h));
            }
            float[][] b = m.score(t);
            for (int i = 0; i < hs.length; i++) {
                assertArrayEquals(a[i], b[i]);
            }
            assertArrayEquals(m.customerRepresentation(hs)[0], m.customerRepresentation(t)[0]);
        }
    }

    /** Training rows carry each item's gap to the previous item, its age at the label basket, and its behaviour. */
    @Test
    void examplesCarryGapsAgesAndBehaviours() {
        try (InterestModel m = InterestModel.create(new ModelConfig("lstm", C, 4, 4, 4, 0.01, 4, 1, true))) {
            byte view = Behaviour.VIEW.code();
            List<CustomerHistory> hs = List.of(new CustomerHistory(1, List.of(
                    new Basket(0, new int[]{2, 3}, new byte[]{view, Behaviour.BUY.code()}, null),
                    new Basket(2 * DAY, new int[]{4}),
                    new Basket(100 * DAY, new int[]{5, 6}))));
            List<Example> ex = m.examples(hs);
            assertEquals(2, ex.size());
            // label basket 1 (at 2 days): items 2, 3 bought at 0
            assertArrayEquals(new int[]{0, 0, 2, 3}, ex.get(0).input());
            assertArrayEquals(new byte[]{0, 0, 0, 1}, ex.get(0).gaps(), "first item unknown, then same basket");
            assertArrayEquals(new byte[]{0, 0, 4, 4}, ex.get(0).ages(), "2 days: < 1 week");
            assertArrayEquals(new byte[]{0, 0, 1, 4}, ex.get(0).behaviours(), "1 + code: view 1, buy 4, padding 0");
            // label basket 2 (at 100 days)
            assertArrayEquals(new int[]{0, 2, 3, 4}, ex.get(1).input());
            assertArrayEquals(new byte[]{0, 0, 1, 4}, ex.get(1).gaps(), "2 days after the previous basket");
            assertArrayEquals(new byte[]{0, 7, 7, 7}, ex.get(1).ages(), "98-100 days: longer than 90 days");
            // the window's first item keeps its true gap when earlier items fall out of it
            List<Example> cut = m.examples(List.of(new CustomerHistory(2, List.of(
                    new Basket(0, new int[]{2, 3, 4}), new Basket(HOUR, new int[]{5, 6}), new Basket(2 * HOUR, new int[]{7})))));
            assertArrayEquals(new int[]{3, 4, 5, 6}, cut.get(1).input());
            assertArrayEquals(new byte[]{1, 1, 3, 1}, cut.get(1).gaps());
        }
    }

    /**
     * What the inputs are for: customers continue their interest after a short gap and, after a long
     * one, come back for something else. Only a model that reads the time can tell the two apart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "attention"})
    void learnsThatLongGapsWeakenOldInterests(String arch) {
        Random r = new Random(5);
        List<CustomerHistory> data = new ArrayList<>();
        for (int c = 0; c < 120; c++) {
            int k = 3 + r.nextInt(6);
            boolean longGap = c % 2 == 0;
            long t1 = 10 * DAY, t2 = t1 + (longGap ? 120 * DAY : HOUR);
            data.add(new CustomerHistory(c, List.of(new Basket(0, new int[]{k}), new Basket(t1, new int[]{k + 20}),
                    new Basket(t2, new int[]{longGap ? 2 : k + 20}))));
        }
        double on = hitRate(small(arch), data), off = hitRate(small(arch).withContextInputs(false), data);
        assertTrue(on > 0.9, arch + " with context inputs: " + on);
        assertTrue(on > off + 0.2, arch + ": with " + on + ", without " + off);
    }

    /** Share of the last baskets whose item is the model's top-1 after training on the earlier ones. */
    private static double hitRate(ModelConfig config, List<CustomerHistory> data) {
        try (InterestModel m = InterestModel.create(config.withLearningRate(0.02).withBatchSize(32))) {
            m.train(data, 20);
            List<TimedHistory> hs = new ArrayList<>();
            for (CustomerHistory ch : data) {
                hs.add(ch.timed(2, ch.baskets().get(2).epochSeconds()));
            }
            float[][] s = m.score(hs);
            int hits = 0;
            for (int u = 0; u < s.length; u++) {
                int best = 2;
                for (int i = 3; i < C; i++) {
                    if (s[u][i] > s[u][best]) {
                        best = i;
                    }
                }
                hits += best == data.get(u).baskets().get(2).item(0) ? 1 : 0;
            }
            return hits / (double) s.length;
        }
    }
}
