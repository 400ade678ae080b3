package io.interestfl.interest.data;

import java.util.Arrays;

/**
 * A test case: a customer's full history before the held-out basket ({@code input}: item ids oldest
 * first, most recent last, may include OOV; with item times and behaviours and, as prediction time,
 * the held-out basket's time, when known) and the held-out basket's distinct item ids with OOV removed
 * (never empty). {@code lastBasket} is the customer's most recent training basket (the items at the
 * end of the history; empty when unknown), which first-order Markov baselines condition on.
 */
public record HeldOutBasket(long customerId, TimedHistory input, int[] target, int[] lastBasket) {
    public HeldOutBasket {
        java.util.Objects.requireNonNull(input, "input");
        target = target.clone();
        lastBasket = lastBasket.clone();
    }

    /** A case whose history has no times (see {@link TimedHistory#untimed}). */
    public HeldOutBasket(long customerId, int[] history, int[] target, int[] lastBasket) {
        this(customerId, TimedHistory.untimed(history), target, lastBasket);
    }

    /** A case without basket boundaries (empty {@link #lastBasket()}) or times. */
    public HeldOutBasket(long customerId, int[] history, int[] target) {
        this(customerId, history, target, new int[0]);
    }

    /** The history's item ids, oldest first (a copy). */
    public int[] history() {
        return input.items();
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
        return o instanceof HeldOutBasket h && h.customerId == customerId && h.input.equals(input)
                && Arrays.equals(h.target, target) && Arrays.equals(h.lastBasket, lastBasket);
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(customerId) * 31 + input.hashCode()) * 31 + Arrays.hashCode(target)) * 31
                + Arrays.hashCode(lastBasket);
    }

    @Override
    public String toString() {
        return "HeldOutBasket[" + customerId + ", history=" + input + ", target="
                + Arrays.toString(target) + ", lastBasket=" + Arrays.toString(lastBasket) + "]";
    }
}
