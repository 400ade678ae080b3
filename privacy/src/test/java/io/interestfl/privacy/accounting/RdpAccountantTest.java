package io.interestfl.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Published values. The TF Privacy tutorial (MNIST, 60,000 examples, batch 256, delta 1e-5)
 * counts steps as int(epochs * 60000 / 256) and uses the classic conversion; Abadi et al. 2016's
 * q = 0.01, sigma = 4, 10,000 steps example gives 1.26 through RDP with the classic conversion and
 * 1.0355 with the improved one (TF Privacy / Opacus get_privacy_spent).
 */
class RdpAccountantTest {

    private static final double DELTA = 1e-5;
    private static final double MNIST_Q = 256.0 / 60000;

    private static long mnistSteps(int epochs) {
        return (long) (epochs * 60000.0 / 256);
    }

    @Test
    void abadiClassicConversion() {
        PrivacySpent spent = RdpAccountant.epsilon(0.01, 4.0, 10_000, DELTA, EpsilonConversion.CLASSIC);
        assertEquals(1.26, spent.epsilon(), 0.02);
        assertEquals(1.2586, spent.epsilon(), 1e-3, "TF Privacy compute_rdp + get_privacy_spent value");
        assertEquals(20.0, spent.bestOrder());
    }

    @Test
    void abadiImprovedConversion() {
        PrivacySpent spent = RdpAccountant.epsilon(0.01, 4.0, 10_000, DELTA, EpsilonConversion.IMPROVED);
        assertEquals(1.0355, spent.epsilon(), 1e-3);
        assertEquals(17.0, spent.bestOrder());
    }

    @Test
    void tfPrivacyTutorialSigma11Epochs60() {
        PrivacySpent spent = RdpAccountant.epsilon(MNIST_Q, 1.1, mnistSteps(60), DELTA, EpsilonConversion.CLASSIC);
        assertEquals(3.01, spent.epsilon(), 0.005);
    }

    @Test
    void tfPrivacyTutorialSigma13Epochs15() {
        PrivacySpent spent = RdpAccountant.epsilon(MNIST_Q, 1.3, mnistSteps(15), DELTA, EpsilonConversion.CLASSIC);
        assertEquals(1.19, spent.epsilon(), 0.005);
    }

    @Test
    void tfPrivacyTutorialSigma07Epochs45() {
        PrivacySpent spent = RdpAccountant.epsilon(MNIST_Q, 0.7, mnistSteps(45), DELTA, EpsilonConversion.CLASSIC);
        assertEquals(7.10, spent.epsilon(), 0.005);
        assertEquals(3.8, spent.bestOrder(), 1e-12, "a fractional order must win here");
    }

    @Test
    void improvedConversionIsNeverLooser() {
        for (double z : new double[] {0.6, 1.0, 2.0, 5.0}) {
            double classic = RdpAccountant.epsilon(0.02, z, 500, DELTA, EpsilonConversion.CLASSIC).epsilon();
            double improved = RdpAccountant.epsilon(0.02, z, 500, DELTA, EpsilonConversion.IMPROVED).epsilon();
            assertTrue(improved <= classic, "z=" + z + ": improved " + improved + " > classic " + classic);
        }
    }

    /**
     * Reference values: log(A_alpha)/(alpha-1) with A_alpha = E_{z~N(0,sigma^2)}[((1-q) + q
     * e^{(2z-1)/(2 sigma^2)})^alpha] integrated numerically with mpmath at 40 digits. (The
     * double-precision TF Privacy code gives 8.0644097575e-6 for the first; the series has
     * cancellation, so agreement to ~1e-9 relative is what double precision allows.)
     */
    @Test
    void rdpMatchesHighPrecisionIntegralAtSingleOrders() {
        assertEquals(8.0644097584960330e-06, SubsampledGaussian.rdpPerStep(0.01, 4, 2.5), 1e-9 * 8.06e-6);
        assertEquals(9.680448562322447e-06, SubsampledGaussian.rdpPerStep(0.01, 4, 3), 1e-9 * 9.68e-6);
        assertEquals(1.0694441657077113e-04, SubsampledGaussian.rdpPerStep(0.01, 4, 32.5), 1e-9 * 1.07e-4);
        assertEquals(1.4933699639334828, SubsampledGaussian.rdpPerStep(0.1, 0.8, 5.5), 1e-9);
    }

    @Test
    void fractionalOrdersAgreeWithNeighbouringIntegerOrders() {
        double[][] params = {{0.01, 4}, {0.05, 1.1}, {0.2, 0.9}, {0.001, 0.7}};
        for (double[] p : params) {
            for (int a = 2; a <= 40; a++) {
                double atInteger = SubsampledGaussian.rdpPerStep(p[0], p[1], a);
                double justBelow = SubsampledGaussian.rdpPerStep(p[0], p[1], a - 1e-7);
                double justAbove = SubsampledGaussian.rdpPerStep(p[0], p[1], a + 1e-7);
                String where = "q=" + p[0] + " sigma=" + p[1] + " order=" + a;
                assertEquals(atInteger, justBelow, 1e-5 * atInteger + 1e-12, where);
                assertEquals(atInteger, justAbove, 1e-5 * atInteger + 1e-12, where);
                assertTrue(justBelow <= atInteger + 1e-12 && atInteger <= justAbove + 1e-12,
                        "RDP must be non-decreasing in the order: " + where);
            }
        }
    }

    @Test
    void fullSamplingIsThePlainGaussian() {
        for (double a : RdpOrders.defaults()) {
            assertEquals(a / (2 * 1.5 * 1.5), SubsampledGaussian.rdpPerStep(1.0, 1.5, a), 1e-15 * a);
        }
        double eps = RdpAccountant.epsilon(1.0, 2.0, 1, DELTA, EpsilonConversion.CLASSIC).epsilon();
        // Min over orders of a/8 + ln(1e5)/(a-1); continuous optimum rho + 2 sqrt(rho ln(1/delta)).
        assertEquals(0.125 + 2 * Math.sqrt(0.125 * Math.log(1e5)), eps, 2e-3);
        assertEquals(0.0, SubsampledGaussian.rdpPerStep(0.0, 1.0, 7.5));
    }

    @Test
    void compositionAddsCurves() {
        SubsampledGaussian a = new SubsampledGaussian(0.01, 1.2, 300);
        SubsampledGaussian b = new SubsampledGaussian(0.05, 2.0, 40);
        RdpAccountant acc = new RdpAccountant().compose(a).compose(b);
        double[] orders = acc.orders();
        double[] expected = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            expected[i] = 300 * SubsampledGaussian.rdpPerStep(0.01, 1.2, orders[i])
                    + 40 * SubsampledGaussian.rdpPerStep(0.05, 2.0, orders[i]);
        }
        assertArrayEquals(expected, acc.rdp(), 1e-12);

        RdpAccountant stepwise = new RdpAccountant();
        for (int i = 0; i < 300; i++) {
            stepwise.compose(SubsampledGaussian.oneStep(0.01, 1.2));
        }
        assertEquals(new RdpAccountant().compose(a).epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon(),
                stepwise.epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon(), 1e-9);
    }

    @Test
    void zcdpEntersTheLedgerAsRhoTimesOrder() {
        double rho = 0.05;
        RdpAccountant acc = new RdpAccountant().compose(new ZcdpMechanism(rho));
        double[] orders = acc.orders();
        double[] rdp = acc.rdp();
        for (int i = 0; i < orders.length; i++) {
            assertEquals(rho * orders[i], rdp[i], 1e-15);
        }
        // Grid optimum cannot beat the continuous optimum, and is close to it.
        double grid = acc.epsilon(DELTA, EpsilonConversion.CLASSIC).epsilon();
        double closed = new ZcdpMechanism(rho).epsilon(DELTA, EpsilonConversion.CLASSIC).epsilon();
        assertEquals(rho + 2 * Math.sqrt(rho * Math.log(1 / DELTA)), closed, 1e-12);
        assertTrue(grid >= closed - 1e-12 && grid - closed < 0.01, grid + " vs " + closed);
        double improvedGrid = acc.epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon();
        double improved = new ZcdpMechanism(rho).epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon();
        assertTrue(improved < closed, "CKS conversion must be tighter: " + improved + " vs " + closed);
        assertTrue(improvedGrid >= improved - 1e-9 && improvedGrid - improved < 0.01,
                improvedGrid + " vs " + improved);
    }

    /**
     * Canonne-Kamath-Steinke conversion of rho-zCDP, minimised over real orders; reference values
     * from scipy's bounded scalar minimiser of rho a + ln(1 - 1/a) - (ln delta + ln a)/(a - 1).
     */
    @Test
    void zcdpImprovedConversionMatchesContinuousOptimum() {
        double[][] cases = {{0.05, 1.3081183429064382, 14.3058}, {2.0, 10.724824112939173, 3.2724},
            {1e-4, 0.045047462087777226, 246.096}};
        for (double[] c : cases) {
            PrivacySpent spent = new ZcdpMechanism(c[0]).epsilon(DELTA, EpsilonConversion.IMPROVED);
            assertEquals(c[1], spent.epsilon(), 1e-9, "rho " + c[0]);
            assertEquals(c[2], spent.bestOrder(), 1e-3 * c[2], "rho " + c[0]);
        }
        assertEquals(0.0, new ZcdpMechanism(0).epsilon(DELTA, EpsilonConversion.IMPROVED).epsilon());
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SubsampledGaussian(0.01, -1.0, 10));
        assertEquals("noise multiplier must be > 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SubsampledGaussian(1.5, 1.0, 10));
        assertEquals("sampling rate must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SubsampledGaussian(0.1, 1.0, -3));
        assertEquals("steps must be >= 0, got -3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RdpAccountant.epsilon(0.1, 1.0, 10, 0.0, EpsilonConversion.CLASSIC));
        assertEquals("delta must be in (0, 1), got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZcdpMechanism(Double.NaN));
        assertEquals("zCDP rho must be finite and >= 0, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(new double[] {2, 1.0}));
        assertEquals("Renyi order must be finite and > 1, got 1.0", e.getMessage());
    }
}
