package io.interestfl.privacy.accounting;

/**
 * A mechanism whose privacy loss is described by its Rényi-DP curve: {@code rdp(order)} is the
 * RDP epsilon at the given order for the whole mechanism (all of its steps). Two mechanisms are
 * composed by adding their curves ({@link RdpAccountant#compose}).
 *
 * <p>Two kinds exist: {@link SubsampledGaussian} (a Poisson-subsampled Gaussian applied for a
 * number of steps, e.g. one DP-FedAvg round or T steps of DP-SGD) and {@link ZcdpMechanism}
 * (anything with a zero-concentrated DP guarantee rho, e.g. the distributed discrete Gaussian
 * sum; its curve is rho * order).
 */
public sealed interface PrivacyMechanism permits SubsampledGaussian, ZcdpMechanism {

    /** RDP epsilon of the whole mechanism at {@code order} (> 1). */
    double rdp(double order);

    /** RDP epsilons at each of {@code orders}. */
    default double[] rdp(double[] orders) {
        double[] out = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            out[i] = rdp(orders[i]);
        }
        return out;
    }
}
