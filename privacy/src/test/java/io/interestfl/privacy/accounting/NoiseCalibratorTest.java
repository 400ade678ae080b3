package io.interestfl.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseCalibratorTest {

    @Test
    void roundTripsThroughTheAccountant() {
        double[][] cases = {
            // target eps, q, steps
            {1.0, 0.01, 10_000},
            {3.0, 256.0 / 60000, 14_062},
            {8.0, 0.1, 100},
            {0.5, 1.0, 1},
            {2.0, 0.05, 1_000},
        };
        for (EpsilonConversion conversion : EpsilonConversion.values()) {
            for (double[] c : cases) {
                double z = NoiseCalibrator.noiseMultiplier(c[0], c[1], (long) c[2], 1e-5, conversion);
                double reached = RdpAccountant.epsilon(c[1], z, (long) c[2], 1e-5, conversion).epsilon();
                double justBelow = RdpAccountant.epsilon(c[1], z * (1 - 2e-4), (long) c[2], 1e-5, conversion)
                        .epsilon();
                String where = conversion + " target " + c[0] + " q " + c[1] + " steps " + c[2] + " z " + z;
                assertTrue(reached <= c[0], "calibrated noise must meet the target: " + where + " eps " + reached);
                assertTrue(justBelow > c[0], "calibrated noise must be minimal to 1e-4: " + where);
                assertEquals(c[0], reached, 0.01 * c[0], where);
            }
        }
    }

    @Test
    void abadiExampleCalibratesToAboutFour() {
        double z = NoiseCalibrator.noiseMultiplier(1.2586, 0.01, 10_000, 1e-5, EpsilonConversion.CLASSIC);
        assertEquals(4.0, z, 0.01);
    }

    @Test
    void unreachableTargetFailsClearly() {
        UnreachablePrivacyTargetException e = assertThrows(UnreachablePrivacyTargetException.class,
                () -> NoiseCalibrator.noiseMultiplier(1e-4, 0.5, 1000, 1e-5, EpsilonConversion.CLASSIC));
        assertTrue(e.getMessage().contains("target epsilon 1.0E-4") && e.getMessage().contains("not reachable"),
                e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> NoiseCalibrator.noiseMultiplier(-1, 0.5, 1000, 1e-5, EpsilonConversion.CLASSIC));
        assertEquals("target epsilon must be finite and > 0, got -1.0", bad.getMessage());
    }
}
