package io.interestfl.privacy.budget;

/**
 * The total (epsilon, delta) a deployment may spend; a {@link PrivacyLedger} refuses any round
 * that would take the composed epsilon (at this delta) above {@code epsilon}.
 *
 * @param epsilon total epsilon, finite and > 0
 * @param delta   the delta every epsilon is computed at, in (0, 1); conventionally well below
 *                1 / (number of protected units)
 */
public record PrivacyBudget(double epsilon, double delta) {

    public PrivacyBudget {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("budget epsilon must be finite and > 0, got " + epsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("budget delta must be in (0, 1), got " + delta);
        }
    }
}
