package io.interestfl.serving.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepeatHeadTest {
    /** Mixture log-probabilities: g w_i / W on the history, (1 - g) q_i / Q on the rest, computed by hand. */
    @Test
    void scoresBecomeTheMixturesLogProbabilities() {
        double[] s = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, 0.0, -1.0, 2.0};
        RepeatHead head = new RepeatHead(new int[]{3, 4}, new double[]{3, 1}, 0.6);
        head.apply(s, 2);
        double q2 = Math.exp(1), q5 = Math.exp(2);
        double all = q2 + 1 + Math.exp(-1) + q5;
        assertEquals(Math.log(0.6 * 3 / 4 + 1e-9 / all), s[3], 1e-9);
        assertEquals(Math.log(0.6 * 1 / 4 + 1e-9 * Math.exp(-1) / all), s[4], 1e-9);
        assertEquals(Math.log(0.4 * q2 / (q2 + q5) + 1e-9 * q2 / all), s[2], 1e-9);
        assertEquals(Math.log(0.4 * q5 / (q2 + q5) + 1e-9 * q5 / all), s[5], 1e-9);
        assertEquals(Double.NEGATIVE_INFINITY, s[0]);
        // the mixture sums to one (but for the trace)
        double sum = 0;
        for (int i = 2; i < s.length; i++) {
            sum += Math.exp(s[i]);
        }
        assertEquals(1, sum, 1e-8);
    }

    @Test
    void gateZeroRanksTheHistoryLastInTheModelsOrder() {
        double[] s = {0, 0, 5.0, 4.0, 3.0, 2.0};
        new RepeatHead(new int[]{2, 3}, new double[]{1, 1}, 0).apply(s, 2);
        assertTrue(s[4] > s[5] && s[5] > s[2] && s[2] > s[3], java.util.Arrays.toString(s));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RepeatHead(new int[]{2}, new double[]{}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RepeatHead(new int[]{2}, new double[]{1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new RepeatHead(new int[]{2}, new double[]{0}, 0.5));
    }
}
