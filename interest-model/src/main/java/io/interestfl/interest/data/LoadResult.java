package io.interestfl.interest.data;

import java.util.List;

/**
 * Cleaned purchases (file order) and the report of what was dropped.
 */
public record LoadResult(List<Purchase> purchases, LoadReport report) {
    public LoadResult {
        purchases = List.copyOf(purchases);
    }
}
