package io.interestfl.privacy.accounting;

import java.util.Arrays;

/**
 * Rényi-DP accountant: keeps the composed RDP curve of everything released so far on a fixed
 * grid of orders ({@link RdpOrders#defaults()} unless given), composes mechanisms by adding their
 * curves, and converts the total to (epsilon, delta).
 *
 * <p>Not thread-safe; {@code io.interestfl.privacy.budget.PrivacyLedger} wraps one with
 * durability and a budget. The static {@link #epsilon(double, double, long, double,
 * EpsilonConversion)} is the one-line entry point for "what epsilon does DP-SGD / DP-FedAvg
 * with these parameters give".
 */
public final class RdpAccountant {

    private final double[] orders;
    private final double[] rdp;

    /** An empty accountant on the default order grid. */
    public RdpAccountant() {
        this(RdpOrders.defaults());
    }

    /** An empty accountant on the given orders (each finite and > 1). */
    public RdpAccountant(double[] orders) {
        this.orders = RdpOrders.checkOrders(orders);
        this.rdp = new double[orders.length];
    }

    /**
     * Epsilon of the Poisson-subsampled Gaussian with sampling rate {@code q} and noise multiplier
     * {@code noiseMultiplier} run for {@code steps} steps, on the default orders.
     */
    public static PrivacySpent epsilon(double q, double noiseMultiplier, long steps, double delta,
            EpsilonConversion conversion) {
        return new RdpAccountant().compose(new SubsampledGaussian(q, noiseMultiplier, steps))
                .epsilon(delta, conversion);
    }

    /** Adds a mechanism's RDP curve to the total (sequential composition). */
    public RdpAccountant compose(PrivacyMechanism mechanism) {
        double[] add = mechanism.rdp(orders);
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] += add[i];
        }
        return this;
    }

    /** Adds another accountant's total; both must use the same orders. */
    public RdpAccountant compose(RdpAccountant other) {
        if (!Arrays.equals(orders, other.orders)) {
            throw new IllegalArgumentException("cannot compose accountants with different order grids");
        }
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] += other.rdp[i];
        }
        return this;
    }

    /** The (epsilon, delta) guarantee of everything composed so far. */
    public PrivacySpent epsilon(double delta, EpsilonConversion conversion) {
        return conversion.epsilon(orders, rdp, delta);
    }

    /** The epsilon the total would have after also composing {@code mechanism}; changes nothing. */
    public PrivacySpent epsilonIfComposed(PrivacyMechanism mechanism, double delta,
            EpsilonConversion conversion) {
        double[] add = mechanism.rdp(orders);
        double[] total = rdp.clone();
        for (int i = 0; i < total.length; i++) {
            total[i] += add[i];
        }
        return conversion.epsilon(orders, total, delta);
    }

    /** A copy of the order grid. */
    public double[] orders() {
        return orders.clone();
    }

    /** A copy of the composed RDP curve, aligned with {@link #orders()}. */
    public double[] rdp() {
        return rdp.clone();
    }
}
