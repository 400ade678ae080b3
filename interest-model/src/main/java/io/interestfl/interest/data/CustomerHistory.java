package io.interestfl.interest.data;

import java.util.List;

/** A customer's baskets in time order. */
public record CustomerHistory(long customerId, List<Basket> baskets) implements java.io.Serializable {
    public CustomerHistory {
        baskets = List.copyOf(baskets);
    }

    /** The first {@code n} baskets as the model reads them (item times and behaviours), predicted at {@code at}. */
    public TimedHistory timed(int n, long at) {
        return TimedHistory.of(baskets.subList(0, n), at);
    }

    /** All item ids of all baskets, oldest first. */
    public int[] flatItems() {
        return flatItems(baskets.size());
    }

    /** All item ids of the first {@code n} baskets, oldest first. */
    public int[] flatItems(int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += baskets.get(i).size();
        }
        int[] out = new int[total];
        int k = 0;
        for (int i = 0; i < n; i++) {
            Basket b = baskets.get(i);
            for (int j = 0; j < b.size(); j++) {
                out[k++] = b.item(j);
            }
        }
        return out;
    }
}
