package io.interestfl.serving.policy;

/**
 * Exploration probability after {@code t} slates: {@code max(minimum, initial / (1 + t / decaySteps))}
 * (inverse-time decay); {@code decaySteps = 0} keeps it at {@code initial}.
 */
public record EpsilonSchedule(double initial, double minimum, double decaySteps) {
    public EpsilonSchedule {
        if (!(initial >= 0 && initial <= 1)) {
            throw new IllegalArgumentException("initial epsilon must be in [0, 1], got " + initial);
        }
        if (!(minimum >= 0 && minimum <= initial)) {
            throw new IllegalArgumentException("minimum epsilon must be in [0, initial=" + initial + "], got " + minimum);
        }
        if (!(decaySteps >= 0)) {
            throw new IllegalArgumentException("decaySteps must be >= 0, got " + decaySteps);
        }
    }

    public static EpsilonSchedule constant(double epsilon) {
        return new EpsilonSchedule(epsilon, epsilon, 0);
    }

    public double epsilon(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        if (decaySteps == 0) {
            return initial;
        }
        return Math.max(minimum, initial / (1 + t / decaySteps));
    }
}
