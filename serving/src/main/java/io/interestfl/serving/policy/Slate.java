package io.interestfl.serving.policy;

import java.util.List;

/**
 * An ordered list of recommended items, best first.
 *
 * @param slots     the positions, at most {@code k}, distinct items
 * @param policy    name of the policy that built it
 * @param coldStart true when the customer had no representation (popular plus exploratory answer)
 */
public record Slate(List<Slot> slots, String policy, boolean coldStart) {
    public Slate {
        slots = List.copyOf(slots);
    }

    /** The item ids in slate order. */
    public int[] items() {
        return slots.stream().mapToInt(Slot::item).toArray();
    }

    /** Number of explore slots. */
    public int exploreCount() {
        return (int) slots.stream().filter(s -> s.kind() == SlotKind.EXPLORE).count();
    }
}
