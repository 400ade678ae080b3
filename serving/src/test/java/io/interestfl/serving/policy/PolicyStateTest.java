package io.interestfl.serving.policy;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state classes PosteriorPolicy feeds: item statistics, category effects, customer state, slate filling. */
class PolicyStateTest {
    @Test
    void itemStatisticsLearnOffsetsAndCarryHalfTheImpressions() {
        ItemStatistics s = new ItemStatistics(3, null);
        assertEquals(0, s.record(Feedback.impression("c", 1), true, 2.0, 0.25, 0.0));
        assertEquals(-0.25 / 3, s.offsetOf(1, 2.0), 1e-12, "residual 0 - 0.25 over prior 2 + one impression");
        s.record(Feedback.reward("c", 1, 1.0), true, 2.0, Double.NaN, 0);
        assertEquals(0.75 / 3, s.offsetOf(1, 2.0), 1e-12, "a click adds its reward, no impression");
        assertEquals(0, s.offsetOf(7, 2.0));
        assertArrayEquals(new double[]{0, 1, 0}, s.impressions());
        ItemStatistics next = new ItemStatistics(3, s);
        assertEquals(0.5, next.impressions(1));
        assertEquals(0, next.offsetOf(1, 2.0), "residuals restart with the model");
        assertArrayEquals(new double[]{0, 0, 0, 0}, new ItemStatistics(4, s).impressions(), "another size: no carry-over");
        assertArrayEquals(new double[]{1 / 2.0, 1 / 2.5, 1 / 2.0}, next.variances(PolicyTestSupport.circle(3, null), 2.0));
        assertEquals("counts has 2 items, the model 3",
                assertThrows(IllegalArgumentException.class, () -> next.setImpressions(new double[2])).getMessage());
    }

    @Test
    void categoryEffectsAreResidualMeansThatFadeByHalves() {
        CategoryEffects g = new CategoryEffects();
        g.record(2, Feedback.observed("c", 0, 1.0), 0.25, 0.25);
        g.record(2, Feedback.observed("c", 0, 1.0), Double.NaN, 0);   // no prediction yet: not counted
        double[] mean = new double[3];
        double[] var = new double[3];
        g.snapshot(1.0, mean, var);
        assertArrayEquals(new double[]{0, 0, 0.5 / 2}, mean);
        assertArrayEquals(new double[]{1, 1, 0.5}, var);
        assertFalse(g.halveAndFaded(), "half an observation left");
        assertFalse(g.halveAndFaded(), "a quarter left: not yet faded");
        assertTrue(g.halveAndFaded(), "an eighth left");
    }

    @Test
    void customerStateReplaysItsMemoryOnANewModel() {
        PolicyConfig cfg = new PolicyConfig(2.0, 0.5, 1.0, 3, EpsilonSchedule.constant(0), 1.0, 1.0,
                Double.POSITIVE_INFINITY, DiversityConstraint.NONE, 0.3, 1);
        CustomerState c = new CustomerState(cfg, new AtomicLong());
        ItemSpace it = PolicyTestSupport.circle(4, null);
        assertTrue(Double.isNaN(c.prediction(it, 1)), "no slate read yet");
        c.read(it, 0, new float[]{1, 0});
        c.observe(it, 0, Feedback.impression("c", 1), 0, 0);
        c.observe(it, 0, Feedback.reward("c", 1, 1.0), 0, 0);
        assertEquals(1, c.current(it, 0).observations());
        LinearPosterior replayed = c.current(PolicyTestSupport.circle(2, null), 1);
        assertEquals(1, replayed.observations(), "item 1 is still in the new model");
        assertEquals(0, c.current(PolicyTestSupport.circle(1, null), 2).observations(), "item 1 dropped: skipped");
        assertFalse(c.tracksExploit());
    }

    @Test
    void slatesFillAgainstAnExploitSetAndAtRandom() {
        ItemSpace it = PolicyTestSupport.circle(6, null);
        SlateBuilder b = new SlateBuilder(it, DiversityConstraint.NONE, 3);
        BitSet exploit = new BitSet();
        exploit.set(4);
        b.fillByScore(new int[]{4, 2, 0, 1}, new double[]{0, 1, 2, 3, 4, 5}, exploit);
        Slate s = b.build("t", false);
        assertArrayEquals(new int[]{4, 2, 0}, s.items());
        assertEquals(List.of(SlotKind.EXPLOIT, SlotKind.EXPLORE, SlotKind.EXPLORE),
                s.slots().stream().map(Slot::kind).toList());
        SlateBuilder r = new SlateBuilder(it, DiversityConstraint.NONE, 10);
        r.fillRandom(new SplittableRandom(1));
        assertEquals(6, r.size(), "capacity is the recommendable items");
    }
}
