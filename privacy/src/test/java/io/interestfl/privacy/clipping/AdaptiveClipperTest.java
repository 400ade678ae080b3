package io.interestfl.privacy.clipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveClipperTest {

    private static SecureRandom seeded(String seed) throws NoSuchAlgorithmException {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /**
     * Update norms are log-normal with median 2 (log-sd 0.5); 100 clients a round, count noise
     * sigma_b = 100/20 = 5 as Andrew et al. suggest. Returns the mean clip norm over the last 200
     * of 500 rounds.
     */
    private static double settle(AdaptiveClipper clipper, long dataSeed) {
        Random data = new Random(dataSeed); // synthetic norms: test data only
        int clients = 100;
        double sum = 0;
        int rounds = 500;
        for (int round = 0; round < rounds; round++) {
            int unclipped = 0;
            for (int c = 0; c < clients; c++) {
                double norm = 2.0 * Math.exp(0.5 * data.nextGaussian());
                if (norm <= clipper.clipNorm()) {
                    unclipped++;
                }
            }
            clipper.update(unclipped, clients);
            if (round >= rounds - 200) {
                sum += clipper.clipNorm();
            }
        }
        return sum / 200;
    }

    @Test
    void movesTowardTheMedianFromBelowAndAbove() throws Exception {
        double fromBelow = settle(AdaptiveClipper.withDefaults(0.05, 5.0, seeded("below")), 1);
        double fromAbove = settle(AdaptiveClipper.withDefaults(80.0, 5.0, seeded("above")), 2);
        assertEquals(2.0, fromBelow, 0.2, "median of the norms is 2");
        assertEquals(2.0, fromAbove, 0.2, "median of the norms is 2");
    }

    @Test
    void tracksOtherQuantiles() throws Exception {
        // 0.9 quantile of 2 exp(0.5 Z) is 2 exp(0.5 * 1.28155) = 3.793.
        double c = settle(new AdaptiveClipper(1.0, 0.9, 0.2, 5.0, seeded("q90")), 3);
        assertEquals(3.793, c, 0.4);
    }

    @Test
    void geometricUpdateRule() throws Exception {
        AdaptiveClipper clipper = new AdaptiveClipper(1.0, 0.5, 0.2, 0.0, seeded("exact"));
        assertEquals(Math.exp(-0.2 * 0.5), clipper.update(100, 100), 1e-15, "all unclipped: shrink");
        assertEquals(Math.exp(-0.2 * 0.5) * Math.exp(0.2 * 0.5), clipper.update(0, 100), 1e-15, "none: grow");
        assertEquals(1.0, clipper.updateWithNoisyFraction(0.5), 1e-15, "at the target: unchanged");
    }

    @Test
    void updateNoiseMultiplierFollowsAndrewEtAl() {
        // z = 1, sigma_b = 5: z_delta = (1 - 1/100)^(-1/2).
        assertEquals(1 / Math.sqrt(0.99), AdaptiveClipper.updateNoiseMultiplier(1.0, 5.0), 1e-15);
        assertTrue(AdaptiveClipper.updateNoiseMultiplier(1.0, 1e6) - 1.0 < 1e-12, "tiny count budget: z_delta ~ z");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdaptiveClipper.updateNoiseMultiplier(2.0, 0.9));
        assertEquals("count noise stddev must be finite and > z/2 = 1.0 so that some budget is left for the"
                + " update, got 0.9", e.getMessage());
    }

    @Test
    void rejectsBadArguments() throws Exception {
        SecureRandom r = seeded("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveClipper(1.0, 1.5, 0.2, 1.0, r));
        assertEquals("target quantile must be in (0, 1), got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipper(1.0, 0.5, -0.2, 1.0, r));
        assertEquals("clip learning rate must be finite and > 0, got -0.2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AdaptiveClipper.withDefaults(1.0, 1.0, r).update(3, 0));
        assertEquals("expected clients must be >= 1, got 0", e.getMessage());
    }
}
