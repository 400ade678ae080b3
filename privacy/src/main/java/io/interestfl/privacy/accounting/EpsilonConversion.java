package io.interestfl.privacy.accounting;

/**
 * How a Rényi-DP curve is turned into an (epsilon, delta) guarantee; the result is the minimum
 * over the evaluated orders.
 * <ul>
 *   <li>{@link #CLASSIC}: eps = rdp(a) + ln(1/delta) / (a - 1) (Mironov 2017, Prop. 3). The
 *       published DP-SGD numbers (Abadi et al. 2016 via RDP, the TF Privacy tutorial) use it.</li>
 *   <li>{@link #IMPROVED}: eps = rdp(a) + ln(1 - 1/a) - (ln delta + ln a) / (a - 1)
 *       (Balle et al. 2020 / Canonne, Kamath, Steinke 2020; the {@code get_privacy_spent} of
 *       TF Privacy and Opacus). Always at least as tight; orders a &lt;= 1.01 are skipped.</li>
 * </ul>
 */
public enum EpsilonConversion {

    CLASSIC {
        @Override
        double epsilonAt(double order, double rdp, double delta) {
            return rdp + Math.log(1 / delta) / (order - 1);
        }

        @Override
        PrivacySpent epsilonForZcdp(double rho, double delta) {
            checkDelta(delta);
            checkRho(rho);
            if (rho == 0) {
                return new PrivacySpent(0.0, delta, Double.POSITIVE_INFINITY);
            }
            double log1OverDelta = Math.log(1 / delta);
            double eps = rho + 2 * Math.sqrt(rho * log1OverDelta);
            return new PrivacySpent(eps, delta, 1 + Math.sqrt(log1OverDelta / rho));
        }
    },

    IMPROVED {
        @Override
        double epsilonAt(double order, double rdp, double delta) {
            // Same edge handling as TF Privacy's get_privacy_spent.
            if (delta * delta + Math.expm1(-rdp) >= 0) {
                return 0.0;
            }
            if (order <= 1.01) {
                return Double.POSITIVE_INFINITY;
            }
            return rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
        }

        @Override
        PrivacySpent epsilonForZcdp(double rho, double delta) {
            checkDelta(delta);
            checkRho(rho);
            if (rho == 0) {
                return new PrivacySpent(0.0, delta, Double.POSITIVE_INFINITY);
            }
            // Minimise over real orders a > 1: log-spaced scan of a - 1, then golden-section refine.
            double bestT = 0;
            double bestEps = Double.POSITIVE_INFINITY;
            for (double t = -12; t <= 14; t += 0.05) { // a - 1 = e^t
                double e = epsilonAt(1 + Math.exp(t), rho * (1 + Math.exp(t)), delta);
                if (e < bestEps) {
                    bestEps = e;
                    bestT = t;
                }
            }
            double lo = bestT - 0.05;
            double hi = bestT + 0.05;
            double invPhi = (Math.sqrt(5) - 1) / 2;
            for (int k = 0; k < 100 && hi - lo > 1e-12; k++) {
                double m1 = hi - invPhi * (hi - lo);
                double m2 = lo + invPhi * (hi - lo);
                double a1 = 1 + Math.exp(m1);
                double a2 = 1 + Math.exp(m2);
                if (epsilonAt(a1, rho * a1, delta) <= epsilonAt(a2, rho * a2, delta)) {
                    hi = m2;
                } else {
                    lo = m1;
                }
            }
            double a = 1 + Math.exp((lo + hi) / 2);
            double eps = Math.min(bestEps, epsilonAt(a, rho * a, delta));
            return new PrivacySpent(Math.max(0.0, eps), delta, eps < bestEps ? a : 1 + Math.exp(bestT));
        }
    };

    /** Epsilon implied by RDP value {@code rdp} at a single order. */
    abstract double epsilonAt(double order, double rdp, double delta);

    /** Epsilon of a rho-zCDP guarantee, minimised over all real orders. */
    abstract PrivacySpent epsilonForZcdp(double rho, double delta);

    /**
     * The smallest epsilon over the given orders for the RDP curve {@code rdp}, and the order
     * that achieves it.
     */
    public PrivacySpent epsilon(double[] orders, double[] rdp, double delta) {
        if (orders.length != rdp.length || orders.length == 0) {
            throw new IllegalArgumentException("orders and rdp must have the same non-zero length, got "
                    + orders.length + " and " + rdp.length);
        }
        checkDelta(delta);
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = orders[0];
        for (int i = 0; i < orders.length; i++) {
            RdpOrders.checkOrder(orders[i]);
            if (!(rdp[i] >= 0)) {
                throw new IllegalArgumentException("RDP values must be >= 0, got " + rdp[i]
                        + " at order " + orders[i]);
            }
            double e = epsilonAt(orders[i], rdp[i], delta);
            if (e < best) {
                best = e;
                bestOrder = orders[i];
            }
        }
        return new PrivacySpent(Math.max(0.0, best), delta, bestOrder);
    }

    /** Rejects a delta outside (0, 1) with a message naming it. */
    public static void checkDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
    }

    private static void checkRho(double rho) {
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("zCDP rho must be finite and >= 0, got " + rho);
        }
    }
}
