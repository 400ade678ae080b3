package io.interestfl.privacy.budget;

/**
 * Thrown by {@link PrivacyLedger#spend} when a round would take the spent epsilon above the
 * budget. Nothing is recorded and the round's result must not be released.
 */
public final class PrivacyBudgetExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long roundId;
    private final double currentEpsilon;
    private final double epsilonAfter;
    private final PrivacyBudget budget;

    public PrivacyBudgetExceededException(long roundId, double currentEpsilon, double epsilonAfter,
            PrivacyBudget budget) {
        super("privacy budget exceeded: round " + roundId + " would take epsilon from " + currentEpsilon
                + " to " + epsilonAfter + " but the budget is epsilon " + budget.epsilon() + " at delta "
                + budget.delta());
        this.roundId = roundId;
        this.currentEpsilon = currentEpsilon;
        this.epsilonAfter = epsilonAfter;
        this.budget = budget;
    }

    public long roundId() {
        return roundId;
    }

    /** Epsilon spent before the refused round. */
    public double currentEpsilon() {
        return currentEpsilon;
    }

    /** Epsilon the refused round would have reached. */
    public double epsilonAfter() {
        return epsilonAfter;
    }

    public PrivacyBudget budget() {
        return budget;
    }
}
