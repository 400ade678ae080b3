package io.interestfl.serving.policy;

/**
 * One observation for a policy.
 *
 * <p>An <em>impression</em> ({@code newObservation = true}) adds one observation of item {@code item} for the
 * customer with reward {@code reward} (usually 0: shown, not clicked). A later click or purchase on the same
 * impression adds {@code reward} to that observation without counting a new one
 * ({@code newObservation = false}), so that "shown then clicked" is one observation with reward 1, not two.
 * The simulator, which knows the outcome at once, sends one impression with the final reward.
 *
 * @param customer       customer key
 * @param item           item id
 * @param reward         reward to add
 * @param newObservation whether this is a new observation (an impression) or a reward on the last one
 */
public record Feedback(String customer, int item, double reward, boolean newObservation) {
    public static Feedback impression(String customer, int item) {
        return new Feedback(customer, item, 0, true);
    }

    public static Feedback observed(String customer, int item, double reward) {
        return new Feedback(customer, item, reward, true);
    }

    public static Feedback reward(String customer, int item, double reward) {
        return new Feedback(customer, item, reward, false);
    }
}
