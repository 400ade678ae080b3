package io.interestfl.interest.data;

import java.util.Arrays;

/**
 * A customer's history as the interest model reads it: item ids oldest first (most recent last), each
 * item's time and behaviour, and the time the prediction is for ({@code at}: the held-out basket's
 * time in evaluation, the label basket's time in training, "now" when serving).
 *
 * <p>{@code times} ({@code null} = unknown) and {@code behaviours} ({@link Behaviour#code()}s,
 * {@code null} = every item bought) run parallel to {@code items}; {@code at} is {@link #UNKNOWN_TIME}
 * when not known. The model feeds unknown times as their own "unknown" bucket, so an item-only
 * history ({@link #untimed}) still scores, just without the time signal.
 */
public record TimedHistory(int[] items, long[] times, byte[] behaviours, long at) {
    /** {@code at} value meaning "prediction time not known". */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    public TimedHistory {
        items = items.clone();
        if (times != null) {
            if (times.length != items.length) {
                throw new IllegalArgumentException("times has " + times.length + " entries for " + items.length + " items");
            }
            times = times.clone();
        }
        if (behaviours != null) {
            if (behaviours.length != items.length) {
                throw new IllegalArgumentException("behaviours has " + behaviours.length + " entries for "
                        + items.length + " items");
            }
            behaviours = behaviours.clone();
        }
    }

    /** Item ids only: times and prediction time unknown, everything bought. */
    public static TimedHistory untimed(int[] items) {
        return new TimedHistory(items, null, null, UNKNOWN_TIME);
    }

    /** The items of {@code baskets} (in order; each item gets its basket's time and behaviour), predicted at {@code at}. */
    public static TimedHistory of(java.util.List<Basket> baskets, long at) {
        int total = 0;
        boolean anyBehaviour = false;
        for (Basket b : baskets) {
            total += b.size();
            anyBehaviour |= b.behaviours() != null;
        }
        int[] items = new int[total];
        long[] times = new long[total];
        byte[] behaviours = anyBehaviour ? new byte[total] : null;
        int k = 0;
        for (Basket b : baskets) {
            for (int j = 0; j < b.size(); j++, k++) {
                items[k] = b.item(j);
                times[k] = b.epochSeconds();
                if (behaviours != null) {
                    behaviours[k] = b.behaviour(j).code();
                }
            }
        }
        return new TimedHistory(items, times, behaviours, at);
    }

    @Override
    public int[] items() {
        return items.clone();
    }

    @Override
    public long[] times() {
        return times == null ? null : times.clone();
    }

    @Override
    public byte[] behaviours() {
        return behaviours == null ? null : behaviours.clone();
    }

    /** Number of items. */
    public int size() {
        return items.length;
    }

    /** Item at position i (no copy). */
    public int item(int i) {
        return items[i];
    }

    /** Time of item i, or {@link #UNKNOWN_TIME}. */
    public long time(int i) {
        return times == null ? UNKNOWN_TIME : times[i];
    }

    /** Behaviour code of item i ({@link Behaviour#BUY} when not recorded). */
    public byte behaviour(int i) {
        return behaviours == null ? Behaviour.BUY.code() : behaviours[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimedHistory t && t.at == at && Arrays.equals(t.items, items)
                && Arrays.equals(t.times, times) && Arrays.equals(t.behaviours, behaviours);
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(items) * 31 + Arrays.hashCode(times)) * 31 + Arrays.hashCode(behaviours)) * 31
                + Long.hashCode(at);
    }

    @Override
    public String toString() {
        return "TimedHistory[items=" + Arrays.toString(items) + ", times=" + Arrays.toString(times)
                + ", behaviours=" + Arrays.toString(behaviours) + ", at=" + (at == UNKNOWN_TIME ? "unknown" : at) + "]";
    }
}
