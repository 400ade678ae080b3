package io.interestfl.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogMathTest {

    /** Reference values of ln(erfc(x)) computed with mpmath at 40 digits. */
    @Test
    void logErfcMatchesHighPrecisionValues() {
        double[][] cases = {
            {-2.0, 0.6908055736465877},
            {-0.5, 0.41903914777555956},
            {0.1, -0.11930497373739561},
            {0.5, -0.7350111298370844},
            {1.0, -1.8496055099332482},
            {1.5, -3.3844920895515527},
            {2.0, -5.364941264616638},
            {3.0, -10.720363041981113},
            {5.0, -27.200889545537436},
            {10.0, -102.87988902484489},
            {30.0, -903.9741171106439},
            {100.0, -10005.177585122665},
        };
        for (double[] c : cases) {
            double got = LogMath.logErfc(c[0]);
            assertEquals(c[1], got, 1e-13 * Math.max(1, Math.abs(c[1])), "logErfc(" + c[0] + ")");
        }
    }

    @Test
    void logAddAndSubAreInverse() {
        double a = Math.log(5.0);
        double b = Math.log(3.0);
        assertEquals(Math.log(8.0), LogMath.logAdd(a, b), 1e-15);
        assertEquals(Math.log(2.0), LogMath.logSub(a, b), 1e-15);
        assertEquals(b, LogMath.logAdd(Double.NEGATIVE_INFINITY, b));
        assertEquals(1000.0 + Math.log1p(-Math.exp(-50)), LogMath.logSub(1000.0, 950.0), 1e-12);
    }

    @Test
    void logBinomialMatchesSmallCases() {
        assertEquals(Math.log(252), LogMath.logBinomial(10, 5), 1e-12);
        assertEquals(0.0, LogMath.logBinomial(1024, 0), 0.0);
        assertEquals(Math.log(1024), LogMath.logBinomial(1024, 1), 1e-9);
    }
}
