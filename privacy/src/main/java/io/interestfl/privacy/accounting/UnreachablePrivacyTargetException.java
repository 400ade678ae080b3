package io.interestfl.privacy.accounting;

/** Thrown by {@link NoiseCalibrator} when no noise multiplier in its search range meets the target. */
public final class UnreachablePrivacyTargetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnreachablePrivacyTargetException(String message) {
        super(message);
    }
}
