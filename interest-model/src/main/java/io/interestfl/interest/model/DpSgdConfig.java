package io.interestfl.interest.model;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.NoiseCalibrator;
import io.interestfl.privacy.accounting.SubsampledGaussian;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parameters of user-level (customer-level) DP-SGD inside a client node ({@link UserLevelDpTrainer}).
 *
 * <p>Each step samples every customer independently with probability
 * {@code q = min(1, expectedCustomersPerStep / N)} (N = customers passed to
 * {@link UserLevelDpTrainer#train}), computes each sampled customer's gradient on their own micro-batch
 * (their most recent {@code examplesPerCustomerCap} training examples, mean loss), clips it to L2 norm
 * {@code clipNorm}, sums, adds N(0, (noiseMultiplier * clipNorm)^2) to every coordinate, divides by the
 * expected number of customers per step {@code q * N} and applies the result through Adam. An epoch is
 * {@code max(1, round(N / expectedCustomersPerStep))} steps.
 *
 * @param clipNorm                 per-customer L2 bound C, finite and &gt; 0
 * @param noiseMultiplier          z = noise stddev / C, finite and &gt;= 0 (0 = no privacy; tests only)
 * @param expectedCustomersPerStep expected customers per step (q * N), finite and &gt; 0
 * @param examplesPerCustomerCap   most recent training examples of a customer used per step, &gt;= 1
 */
public record DpSgdConfig(double clipNorm, double noiseMultiplier, double expectedCustomersPerStep,
                          int examplesPerCustomerCap) {
    /** Default cap on the examples of one customer in a micro-batch. */
    public static final int DEFAULT_EXAMPLES_PER_CUSTOMER_CAP = 32;

    public DpSgdConfig {
        List<String> problems = new ArrayList<>();
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            problems.add("clipNorm (per-customer L2 bound) must be finite and > 0, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            problems.add("noiseMultiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        if (!(expectedCustomersPerStep > 0) || Double.isInfinite(expectedCustomersPerStep)) {
            problems.add("expectedCustomersPerStep must be finite and > 0, got " + expectedCustomersPerStep);
        }
        if (examplesPerCustomerCap < 1) {
            problems.add("examplesPerCustomerCap must be >= 1, got " + examplesPerCustomerCap);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid DpSgdConfig: " + String.join("; ", problems));
        }
    }

    /** A config with the default cap of {@value #DEFAULT_EXAMPLES_PER_CUSTOMER_CAP} examples per customer. */
    public DpSgdConfig(double clipNorm, double noiseMultiplier, double expectedCustomersPerStep) {
        this(clipNorm, noiseMultiplier, expectedCustomersPerStep, DEFAULT_EXAMPLES_PER_CUSTOMER_CAP);
    }

    /** Poisson sampling rate for {@code customers} customers: {@code min(1, expectedCustomersPerStep / customers)}. */
    public double samplingRate(int customers) {
        if (customers < 1) {
            throw new IllegalArgumentException("user-level DP needs at least one customer, got " + customers);
        }
        return Math.min(1.0, expectedCustomersPerStep / customers);
    }

    /** Steps per epoch for {@code customers} customers: {@code max(1, round(customers / expectedCustomersPerStep))}. */
    public int stepsPerEpoch(int customers) {
        samplingRate(customers);
        return (int) Math.max(1, Math.round(customers / expectedCustomersPerStep));
    }

    /**
     * The mechanism that {@code epochs} epochs over {@code customers} customers will spend: Poisson-subsampled
     * Gaussian with q = {@link #samplingRate}, z = {@link #noiseMultiplier}, steps = epochs * {@link #stepsPerEpoch}.
     * Record it in the node's ledger ({@code PrivacyLedger.canSpend}/{@code spend}) before releasing the model.
     *
     * @throws IllegalStateException if the noise multiplier is 0 (such training is not private)
     */
    public SubsampledGaussian mechanism(int customers, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        requirePrivate();
        return new SubsampledGaussian(samplingRate(customers), noiseMultiplier, (long) epochs * stepsPerEpoch(customers));
    }

    void requirePrivate() {
        if (noiseMultiplier == 0) {
            throw new IllegalStateException("noise multiplier 0: this training is not differentially private and has"
                    + " no privacy mechanism to account");
        }
    }

    /** The same config with another noise multiplier. */
    public DpSgdConfig withNoiseMultiplier(double z) {
        return new DpSgdConfig(clipNorm, z, expectedCustomersPerStep, examplesPerCustomerCap);
    }

    /**
     * A config whose noise multiplier is the smallest (to 1e-4 relative) that keeps {@code epochs} epochs over
     * {@code customers} customers within {@code targetEpsilon} at {@code delta} (improved RDP conversion, as the
     * ledger uses by default).
     *
     * @throws io.interestfl.privacy.accounting.UnreachablePrivacyTargetException if no multiplier reaches it
     */
    public static DpSgdConfig calibrated(double targetEpsilon, double delta, int customers, int epochs,
                                         double clipNorm, double expectedCustomersPerStep, int examplesPerCustomerCap) {
        DpSgdConfig probe = new DpSgdConfig(clipNorm, 1.0, expectedCustomersPerStep, examplesPerCustomerCap);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1 to calibrate, got " + epochs);
        }
        double z = NoiseCalibrator.noiseMultiplier(targetEpsilon, probe.samplingRate(customers),
                (long) epochs * probe.stepsPerEpoch(customers), delta, EpsilonConversion.IMPROVED);
        return probe.withNoiseMultiplier(z);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DpSgdConfig[C=%g, z=%g, expectedCustomersPerStep=%g, examplesPerCustomerCap=%d]",
                clipNorm, noiseMultiplier, expectedCustomersPerStep, examplesPerCustomerCap);
    }
}
