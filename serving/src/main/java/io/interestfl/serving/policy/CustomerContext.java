package io.interestfl.serving.policy;

/**
 * What a policy knows about the customer it recommends to.
 *
 * @param customer       customer key (the posterior of per-customer policies is keyed by it)
 * @param representation the customer's vector from the interest model (same dimension as the item vectors),
 *                       or {@code null} for a customer the model does not know (cold start)
 * @param repeat         the customer's repeat/explore head (their history and repeat probability), or {@code null}:
 *                       rank by the model's scores alone
 */
public record CustomerContext(String customer, float[] representation, RepeatHead repeat) {
    public CustomerContext {
        if (customer == null || customer.isEmpty()) {
            throw new IllegalArgumentException("customer must be non-empty");
        }
    }

    /** Without a repeat/explore head. */
    public CustomerContext(String customer, float[] representation) {
        this(customer, representation, null);
    }

    public static CustomerContext cold(String customer) {
        return new CustomerContext(customer, null, null);
    }

    public boolean coldStart() {
        return representation == null;
    }
}
