package io.interestfl.client.data;

import java.util.Arrays;

/**
 * A test case: a customer's full history before the held-out basket (item ids, oldest first, most
 * recent last; may include OOV) and the held-out basket's distinct item ids with OOV removed (never empty).
 * {@code lastBasket} is the customer's most recent training basket (the items at the end of
 * {@code history}; empty when unknown), which first-order Markov baselines condition on.
 */
public record HeldOutBasket(long customerId, int[] history, int[] target, int[] lastBasket) {
    public HeldOutBasket {
        history = history.clone();
        target = target.clone();
        lastBasket = lastBasket.clone();
    }

    /** A case without basket boundaries (empty {@link #lastBasket()}). */
    public HeldOutBasket(long customerId, int[] history, int[] target) {
        this(customerId, history, target, new int[0]);
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
    public int[] lastBasket() {
        return lastBasket.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutBasket h && h.customerId == customerId && Arrays.equals(h.history, history)
                && Arrays.equals(h.target, target) && Arrays.equals(h.lastBasket, lastBasket);
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(customerId) * 31 + Arrays.hashCode(history)) * 31 + Arrays.hashCode(target)) * 31
                + Arrays.hashCode(lastBasket);
    }

    @Override
    public String toString() {
        return "HeldOutBasket[" + customerId + ", history=" + Arrays.toString(history) + ", target="
                + Arrays.toString(target) + ", lastBasket=" + Arrays.toString(lastBasket) + "]";
    }
}
