package io.interestfl.client.data;

import java.util.Arrays;

/**
 * One invoice of a customer: its time and its distinct item ids in file order (may contain
 * {@link ItemCatalogue#OOV} for products unknown to the catalogue).
 */
public record Basket(long epochSeconds, int[] itemIds) {
    public Basket {
        itemIds = itemIds.clone();
    }

    @Override
    public int[] itemIds() {
        return itemIds.clone();
    }

    /** Number of items. */
    public int size() {
        return itemIds.length;
    }

    /** Item at position i (no copy). */
    public int item(int i) {
        return itemIds[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Basket b && b.epochSeconds == epochSeconds && Arrays.equals(b.itemIds, itemIds);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epochSeconds) * 31 + Arrays.hashCode(itemIds);
    }

    @Override
    public String toString() {
        return "Basket[" + epochSeconds + ", " + Arrays.toString(itemIds) + "]";
    }
}
