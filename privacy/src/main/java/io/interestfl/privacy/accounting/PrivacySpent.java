package io.interestfl.privacy.accounting;

/**
 * An (epsilon, delta) guarantee obtained from an RDP curve, with the Rényi order at which the
 * conversion was tightest (useful to see whether the order grid was wide enough: a best order
 * at either end of the grid means a wider grid could give a smaller epsilon).
 *
 * @param epsilon   the epsilon, >= 0 (may be +infinity)
 * @param delta     the delta it was computed for
 * @param bestOrder the Rényi order that gave {@code epsilon}
 */
public record PrivacySpent(double epsilon, double delta, double bestOrder) {
}
