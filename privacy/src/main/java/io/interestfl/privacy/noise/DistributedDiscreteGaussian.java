package io.interestfl.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Distributed discrete Gaussian (Kairouz, Liu and Steinke 2021, "The Distributed Discrete Gaussian
 * Mechanism for Federated Learning with Secure Aggregation"): each of n clients adds
 * N_Z(0, sigma^2 / n) to its integer (clipped, scaled, rounded) update before secure
 * aggregation, so the coordinator only ever sees the sum, whose noise has variance about sigma^2.
 * The sum of discrete Gaussians is not exactly a discrete Gaussian; {@link #rho} is the paper's
 * zCDP bound for it, which approaches the central bound Delta_2^2 / (2 sigma^2) as tau -> 0.
 *
 * <p>Library-only: the client calls {@link #perClientSampler} and adds the noise to its quantized
 * vector; the coordinator records {@code new ZcdpMechanism(rho(...))} in the privacy ledger.
 */
public final class DistributedDiscreteGaussian {

    private DistributedDiscreteGaussian() {
    }

    /**
     * The sampler one of {@code numClients} clients uses so that the sum of their noise has
     * variance parameter {@code totalVariance}: each adds N_Z(0, totalVariance / numClients),
     * with the division done exactly in rationals.
     */
    public static DiscreteGaussianSampler perClientSampler(double totalVariance, int numClients,
            SecureRandom random) {
        if (!(totalVariance > 0) || Double.isInfinite(totalVariance)) {
            throw new IllegalArgumentException("total variance must be finite and > 0, got " + totalVariance);
        }
        checkClients(numClients);
        BigInteger[] f = DiscreteGaussianSampler.toFraction(totalVariance);
        return new DiscreteGaussianSampler(f[0], f[1].multiply(BigInteger.valueOf(numClients)), random);
    }

    /**
     * tau = 10 * sum_{k=1}^{n-1} exp(-2 pi^2 sigma^2 k / (k+1)), the distance-to-a-discrete-Gaussian
     * term of Kairouz et al. 2021; 0 for a single client.
     */
    public static double tau(double perClientStddev, int numClients) {
        checkStddev(perClientStddev);
        checkClients(numClients);
        double s = 0;
        double c = 2 * Math.PI * Math.PI * perClientStddev * perClientStddev;
        for (int k = 1; k < numClients; k++) {
            double term = Math.exp(-c * k / (k + 1.0));
            s += term;
            if (term == 0) {
                break; // terms only shrink further
            }
        }
        return 10 * s;
    }

    /**
     * zCDP parameter rho of the sum of {@code numClients} independent N_Z(0, perClientStddev^2)
     * vectors of length {@code dimension}, against a change of one client's integer vector with
     * L2 norm at most {@code l2Sensitivity} and L1 norm at most {@code l1Sensitivity}
     * (Kairouz et al. 2021, Prop. 14 / Thm. 1): with s = sqrt(n) sigma,
     * rho = 1/2 min{ D2^2/s^2 + 2 D1 tau / s + tau^2 d,  (D2/s + tau sqrt(d))^2 }.
     * Requires sigma >= 1/2. This ignores amplification by sampling clients (conservative).
     */
    public static double rho(double perClientStddev, int numClients, double l2Sensitivity,
            double l1Sensitivity, long dimension) {
        checkStddev(perClientStddev);
        if (perClientStddev < 0.5) {
            throw new IllegalArgumentException("per-client stddev must be >= 0.5 for this bound, got "
                    + perClientStddev);
        }
        checkClients(numClients);
        if (!(l2Sensitivity >= 0) || Double.isInfinite(l2Sensitivity)) {
            throw new IllegalArgumentException("L2 sensitivity must be finite and >= 0, got " + l2Sensitivity);
        }
        if (!(l1Sensitivity >= 0) || Double.isInfinite(l1Sensitivity)) {
            throw new IllegalArgumentException("L1 sensitivity must be finite and >= 0, got " + l1Sensitivity);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        double tau = tau(perClientStddev, numClients);
        double s = Math.sqrt(numClients) * perClientStddev;
        double l2 = l2Sensitivity / s;
        double l1 = l1Sensitivity / s;
        double bound2 = l2 * l2 + 2 * l1 * tau + tau * tau * dimension;
        double bound3 = Math.pow(l2 + tau * Math.sqrt(dimension), 2);
        return 0.5 * Math.min(bound2, bound3);
    }

    /**
     * {@link #rho(double, int, double, double, long)} with the L1 sensitivity implied for an
     * integer vector of L2 norm D2 in d dimensions: D1 &lt;= D2 * min(sqrt(d), D2).
     */
    public static double rho(double perClientStddev, int numClients, double l2Sensitivity, long dimension) {
        double l1 = l2Sensitivity * Math.min(Math.sqrt(dimension), l2Sensitivity);
        return rho(perClientStddev, numClients, l2Sensitivity, l1, dimension);
    }

    /**
     * L2 norm bound of a vector of L2 norm {@code scaledL2Norm} (already divided by the
     * quantization granularity) after randomized rounding of each of its {@code dimension}
     * coordinates to an integer, conditioned (re-rounding) so the bound holds; {@code beta} is the
     * conditioning parameter in [0, 1) (0 = no conditioning, worst case c + sqrt(d)).
     * Kairouz et al. 2021, Thm. 1: min{ c + sqrt(d), sqrt(c^2 + d/4 + sqrt(2 ln(1/beta)) (c + sqrt(d)/2)) }.
     */
    public static double roundedL2Bound(double scaledL2Norm, double beta, long dimension) {
        if (!(scaledL2Norm > 0) || Double.isInfinite(scaledL2Norm)) {
            throw new IllegalArgumentException("L2 norm must be finite and > 0, got " + scaledL2Norm);
        }
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1), got " + beta);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        double sqrtD = Math.sqrt(dimension);
        double bound1 = scaledL2Norm + sqrtD;
        if (beta == 0) {
            return bound1;
        }
        double squared2 = scaledL2Norm * scaledL2Norm + 0.25 * dimension
                + Math.sqrt(2 * Math.log(1 / beta)) * (scaledL2Norm + 0.5 * sqrtD);
        return Math.min(bound1, Math.sqrt(squared2));
    }

    private static void checkClients(int numClients) {
        if (numClients < 1) {
            throw new IllegalArgumentException("number of clients must be >= 1, got " + numClients);
        }
    }

    private static void checkStddev(double stddev) {
        if (!(stddev > 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("stddev must be finite and > 0, got " + stddev);
        }
    }
}
