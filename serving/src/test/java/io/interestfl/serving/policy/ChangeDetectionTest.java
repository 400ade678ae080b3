package io.interestfl.serving.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeDetectionTest {
    /** Index of the first alarm while feeding {@code xs} (-1: none). */
    private static int firstAlarm(ChangeDetection.PageHinkley ph, double[] xs) {
        for (int i = 0; i < xs.length; i++) {
            ph.add(xs[i]);
            if (ph.alarm()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rate 0.5 (1, 0, 1, 0, ...) for 200 observations: no alarm (each pair adds about -2 delta to U). Then zeros:
     * each adds about mean - delta = 0.45, so U - min U passes 3 at the 6th zero (U was already above its minimum after the last 0 of the pairs).
     */
    @Test
    void pageHinkleyAlarmsOnADropAndNotOnAStableRate() {
        ChangeDetection.PageHinkley ph = new ChangeDetection.PageHinkley(0.05, 3);
        double[] xs = new double[230];
        for (int i = 0; i < 200; i++) {
            xs[i] = i % 2 == 0 ? 1 : 0;
        }
        int at = firstAlarm(ph, xs);
        assertEquals(205, at);
        ph.restart();
        assertFalse(ph.alarm());
        assertEquals(0, ph.observations());
    }

    @Test
    void pageHinkleyIgnoresARiseAndWaitsForTheWarmUp() {
        double[] rise = new double[100];
        for (int i = 50; i < 100; i++) {
            rise[i] = 1;
        }
        assertEquals(-1, firstAlarm(new ChangeDetection.PageHinkley(0.05, 3), rise));
        // 1 then zeros: the drop is there from the second observation, but no alarm before WARM_UP observations
        double[] early = new double[ChangeDetection.WARM_UP + 5];
        early[0] = 1;
        early[1] = 1;
        early[2] = 1;
        assertEquals(ChangeDetection.WARM_UP - 1, firstAlarm(new ChangeDetection.PageHinkley(0, 1), early));
    }

    /** An impression followed by its click counts as one observation of 1 (up to the running-mean term). */
    @Test
    void aLaterClickCorrectsTheLastObservation() {
        ChangeDetection.PageHinkley direct = new ChangeDetection.PageHinkley(0.05, 3);
        ChangeDetection.PageHinkley split = new ChangeDetection.PageHinkley(0.05, 3);
        int alarmDirect = -1, alarmSplit = -1;
        for (int i = 0; i < 260 && (alarmDirect < 0 || alarmSplit < 0); i++) {
            double x = i < 200 && i % 2 == 0 ? 1 : 0;
            direct.add(x);
            split.add(0);
            if (x > 0) {
                split.addReward(x);
            }
            if (alarmDirect < 0 && direct.alarm()) {
                alarmDirect = i;
            }
            if (alarmSplit < 0 && split.alarm()) {
                alarmSplit = i;
            }
        }
        assertEquals(alarmDirect, alarmSplit);
        assertTrue(alarmDirect >= 200);
    }

    /**
     * Greedy with detection (1-D, lambda 2, prior factor 0.25, hold 0): a customer clicks every exploit slot for 40
     * slates, then none. The alarm restarts the posterior (no observations) with precision 2 x 0.25 = 0.5 until the
     * next model, which restores lambda 2.
     */
    @Test
    void anAlarmRestartsTheCustomersPosteriorWithAWeakerPrior() {
        ItemSpace items = new ItemSpace(new float[][]{{1}}, null, null, null, 0);
        PolicyConfig cfg = new PolicyConfig(2.0, 0.5, 1.0, 0, EpsilonSchedule.constant(0), 1.0, 1.0,
                Double.POSITIVE_INFINITY, DiversityConstraint.NONE, 0.3, 1)
                .withChangeDetection(new ChangeDetection(0.05, 3, 0.25, 0));
        GreedyPolicy p = new GreedyPolicy(items, cfg);
        CustomerContext c = new CustomerContext("c", new float[]{1});
        int restartedAt = -1;
        for (int i = 0; i < 80 && restartedAt < 0; i++) {
            Slate s = p.recommend(c, 1);
            assertEquals(SlotKind.EXPLOIT, s.slots().get(0).kind());
            if (p.changeAlarms() > 0) {
                restartedAt = i;
                break;
            }
            p.update(Feedback.observed("c", 0, i < 40 ? 1 : 0));
        }
        assertTrue(restartedAt > 40 && restartedAt < 50, "restarted at slate " + restartedAt);
        LinearPosterior post = p.posterior("c");
        assertEquals(0, post.observations());
        assertEquals(Math.sqrt(0.5), post.precisionCholesky()[0], 1e-12);
        p.reset(items);
        assertEquals(Math.sqrt(2.0), p.posterior("c").precisionCholesky()[0], 1e-12);
        // without detection nothing restarts
        GreedyPolicy plain = new GreedyPolicy(items, cfg.withChangeDetection(ChangeDetection.OFF));
        for (int i = 0; i < 80; i++) {
            plain.recommend(c, 1);
            plain.update(Feedback.observed("c", 0, i < 40 ? 1 : 0));
        }
        assertEquals(0, plain.changeAlarms());
        assertEquals(80, plain.posterior("c").observations());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ChangeDetection(-1, 3, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChangeDetection(0, 0, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChangeDetection(0, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChangeDetection(0, 3, 0.5, -1));
        assertFalse(ChangeDetection.OFF.enabled());
    }
}
