package io.interestfl.client.data;

import java.util.Arrays;

/**
 * A test case: a customer's full history before the held-out basket (item ids, oldest first, most
 * recent last; may include OOV) and the held-out basket's distinct item ids with OOV removed (never empty).
 */
public record HeldOutBasket(long customerId, int[] history, int[] target) {
    public HeldOutBasket {
        history = history.clone();
        target = target.clone();
    }

    @Override
    public int[] history() {
        return history.clone();
    }

    @Override
    public int[] target() {
        return target.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutBasket h && h.customerId == customerId && Arrays.equals(h.history, history)
                && Arrays.equals(h.target, target);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(customerId) * 31 + Arrays.hashCode(history)) * 31 + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "HeldOutBasket[" + customerId + ", history=" + Arrays.toString(history) + ", target="
                + Arrays.toString(target) + "]";
    }
}
