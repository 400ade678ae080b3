package io.interestfl.privacy.accounting;

/**
 * A mechanism that satisfies rho-zero-concentrated DP (Bun and Steinke 2016): its Rényi-DP
 * curve is {@code rdp(alpha) = rho * alpha} for every order, which is how a zCDP guarantee enters
 * an RDP ledger. Use it for the (distributed) discrete Gaussian, whose guarantee is stated in
 * zCDP, see {@code io.interestfl.privacy.noise.DistributedDiscreteGaussian#rho}.
 *
 * @param rho the zCDP parameter, finite and >= 0
 */
public record ZcdpMechanism(double rho) implements PrivacyMechanism {

    public ZcdpMechanism {
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("zCDP rho must be finite and >= 0, got " + rho);
        }
    }

    @Override
    public double rdp(double order) {
        RdpOrders.checkOrder(order);
        return rho * order;
    }

    /**
     * (epsilon, delta) of this guarantee alone, optimising over all real orders > 1 rather than
     * a fixed grid. {@link EpsilonConversion#CLASSIC} gives the closed form
     * {@code rho + 2 sqrt(rho ln(1/delta))}; {@link EpsilonConversion#IMPROVED} gives the tighter
     * conversion of Canonne, Kamath and Steinke 2020 (Prop. 12 / Cor. 13).
     */
    public PrivacySpent epsilon(double delta, EpsilonConversion conversion) {
        return conversion.epsilonForZcdp(rho, delta);
    }
}
