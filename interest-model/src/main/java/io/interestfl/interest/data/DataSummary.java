package io.interestfl.interest.data;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What was loaded: distinct users and items, events (rows kept) and the time span.
 *
 * @param users        distinct users (customers)
 * @param items        distinct item codes
 * @param events       kept rows
 * @param firstEpochSeconds earliest event time (0 when there are no events)
 * @param lastEpochSeconds  latest event time (0 when there are no events)
 */
public record DataSummary(long users, long items, long events, long firstEpochSeconds, long lastEpochSeconds) {

    /** Summary of cleaned Online Retail purchases. */
    public static DataSummary ofPurchases(List<Purchase> purchases) {
        Set<Long> users = new HashSet<>();
        Set<String> items = new HashSet<>();
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Purchase p : purchases) {
            users.add(p.customerId());
            items.add(p.stockCode());
            first = Math.min(first, p.epochSeconds());
            last = Math.max(last, p.epochSeconds());
        }
        return purchases.isEmpty() ? new DataSummary(0, 0, 0, 0, 0)
                : new DataSummary(users.size(), items.size(), purchases.size(), first, last);
    }

    /** Days between the first and the last event. */
    public double spanDays() {
        return (lastEpochSeconds - firstEpochSeconds) / 86400.0;
    }

    @Override
    public String toString() {
        if (events == 0) {
            return "0 events";
        }
        return String.format(Locale.ROOT, "%,d users, %,d items, %,d events, %s .. %s (%.1f days)", users, items,
                events, Instant.ofEpochSecond(firstEpochSeconds), Instant.ofEpochSecond(lastEpochSeconds), spanDays());
    }
}
