package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.Behaviour;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.TimedHistory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns histories into model input rows ({@link Example}): the training examples of every customer's baskets
 * and the scoring row of a {@link TimedHistory}, with the item, time-gap, age and behaviour encodings described
 * in {@link InterestModel}'s class comment ("Input embedding", "Training examples").
 */
final class ExampleBuilder {
    /** Rows of the gap and age embeddings: 0 unknown, then {@link #timeBucket} 1..7. */
    static final int TIME_BUCKETS = 8;
    /** Rows of the behaviour embedding: 0 padding, then 1 + {@link Behaviour#code()}. */
    static final int BEHAVIOUR_ROWS = 1 + Behaviour.values().length;

    private static final long HOUR = 3600, DAY = 24 * HOUR;

    private final int historyLength;
    private final int catalogueSize;
    /** Training rows are windows with a label at every position ("sasrec"). */
    private final boolean windows;

    ExampleBuilder(ModelConfig config) {
        this.historyLength = config.historyLength();
        this.catalogueSize = config.catalogueSize();
        this.windows = NetworkBuilder.sequenceOutput(config);
    }

    /** See {@link InterestModel#timeBucket}. */
    static int timeBucket(long seconds) {
        if (seconds <= 0) {
            return 1;
        }
        if (seconds < HOUR) {
            return 2;
        }
        if (seconds < DAY) {
            return 3;
        }
        if (seconds < 7 * DAY) {
            return 4;
        }
        if (seconds < 30 * DAY) {
            return 5;
        }
        return seconds < 90 * DAY ? 6 : 7;
    }

    /**
     * The training examples, customer by customer and basket by basket: for every basket {@code i >= 1} the
     * items of baskets {@code 0..i-1} predicted at basket {@code i}'s time, labelled with basket {@code i}'s
     * distinct catalogue items; examples whose label would be empty are skipped.
     */
    List<Example> examples(List<CustomerHistory> train) {
        if (windows) {
            return windows(train);
        }
        int c = catalogueSize;
        List<Example> out = new ArrayList<>();
        for (CustomerHistory ch : train) {
            List<Basket> baskets = ch.baskets();
            if (baskets.size() < 2) {
                continue;
            }
            TimedHistory all = ch.timed(baskets.size(), TimedHistory.UNKNOWN_TIME);
            byte[] gaps = gapBuckets(all);
            int end = baskets.get(0).size();   // items before basket i
            for (int i = 1; i < baskets.size(); i++) {
                Basket b = baskets.get(i);
                int[] label = labelOf(b, c);
                if (label.length > 0) {
                    out.add(row(all, gaps, end, b.epochSeconds(), label));
                }
                end += b.size();
            }
        }
        return out;
    }

    /**
     * The training windows of the "sasrec" architecture: the same targets as {@link #examples} (after the last item
     * of every basket but the last, the next basket's distinct items), each trained once, by windows of
     * historyLength items that overlap by half: a window labels only its last {@code L - L/2} positions (a window
     * that holds the customer's whole prefix all of its), so every target sees at least {@code L/2} items before
     * it, or all the customer has; a customer's windows come oldest first. Items only (no times or behaviours:
     * "sasrec" has no context inputs).
     */
    private List<Example> windows(List<CustomerHistory> train) {
        int l = historyLength, c = catalogueSize, tail = l - l / 2;
        List<Example> out = new ArrayList<>();
        for (CustomerHistory ch : train) {
            List<Basket> baskets = ch.baskets();
            int total = 0;
            for (Basket b : baskets) {
                total += b.size();
            }
            int[] items = new int[total];
            int[][] labels = new int[total][];
            int end = 0, lastLabelled = -1;
            for (int i = 0; i < baskets.size(); i++) {
                Basket b = baskets.get(i);
                if (i > 0 && end > 0 && labels[end - 1] == null) {
                    int[] label = labelOf(b, c);
                    if (label.length > 0) {
                        labels[end - 1] = label;
                        lastLabelled = end - 1;
                    }
                }
                for (int j = 0; j < b.size(); j++) {
                    items[end + j] = clampId(b.item(j), c);
                }
                end += b.size();
            }
            List<Example> own = new ArrayList<>();
            for (int e = lastLabelled; e >= 0; ) {
                int start = e - l + 1;                               // the window's first position (< 0: padding)
                // the first labelled position: a window that holds the whole prefix labels all of it
                int from = start <= 0 ? 0 : e - tail + 1;
                int[] in = new int[l];
                int[][] lab = new int[l][];
                for (int k = Math.max(0, start); k <= e; k++) {
                    in[k - start] = items[k];
                    if (k >= from) {
                        lab[k - start] = labels[k];
                    }
                }
                Example w = new Example(in, new byte[l], new byte[l], new byte[l], new int[0], lab);
                if (w.targets() > 0) {
                    own.add(w);
                }
                e = from - 1;
            }
            java.util.Collections.reverse(own);                      // oldest first, as examples() orders them
            out.addAll(own);
        }
        return out;
    }

    /** The input row of a whole history predicted at its {@link TimedHistory#at()} (no label). */
    Example row(TimedHistory h) {
        return row(h, gapBuckets(h), h.size(), h.at(), new int[0]);
    }

    /** Per item: the time bucket of the gap to the previous item (0 for the first item or unknown times). */
    private static byte[] gapBuckets(TimedHistory h) {
        byte[] out = new byte[h.size()];
        for (int i = 1; i < out.length; i++) {
            long t = h.time(i), prev = h.time(i - 1);
            if (t != TimedHistory.UNKNOWN_TIME && prev != TimedHistory.UNKNOWN_TIME) {
                out[i] = (byte) timeBucket(t - prev);
            }
        }
        return out;
    }

    /**
     * The input row for the first {@code end} items of {@code h} predicted at {@code at}: the last
     * historyLength of them, left-padded. Gaps reach back past the window's start (the first item shown
     * still gets its true gap).
     */
    private Example row(TimedHistory h, byte[] gapBuckets, int end, long at, int[] label) {
        int l = historyLength, c = catalogueSize;
        int n = Math.min(end, l), src = end - n, dst = l - n;
        int[] items = new int[l];
        byte[] gaps = new byte[l], ages = new byte[l], behaviours = new byte[l];
        for (int k = 0; k < n; k++) {
            int i = src + k;
            items[dst + k] = clampId(h.item(i), c);
            gaps[dst + k] = gapBuckets[i];
            long t = h.time(i);
            if (at != TimedHistory.UNKNOWN_TIME && t != TimedHistory.UNKNOWN_TIME) {
                ages[dst + k] = (byte) timeBucket(at - t);
            }
            behaviours[dst + k] = (byte) (1 + h.behaviour(i));
        }
        return new Example(items, gaps, ages, behaviours, label);
    }

    /** The distinct ids of {@code b} inside the catalogue (no padding, no OOV), in basket order. */
    private static int[] labelOf(Basket b, int c) {
        int[] tmp = new int[b.size()];
        int n = 0;
        for (int j = 0; j < b.size(); j++) {
            int id = b.item(j);
            if (id >= ItemCatalogue.RESERVED && id < c) {
                boolean dup = false;
                for (int k = 0; k < n; k++) {
                    if (tmp[k] == id) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    tmp[n++] = id;
                }
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }

    private static int clampId(int id, int c) {
        return id >= 0 && id < c ? id : ItemCatalogue.OOV;
    }
}
