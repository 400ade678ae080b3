package io.interestfl.serving.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/** Fills a slate slot by slot under a diversity constraint. Not thread-safe; one per request. */
final class SlateBuilder {
    private final ItemSpace items;
    private final DiversityConstraint diversity;
    private final int k;
    private final List<Slot> slots = new ArrayList<>();
    private final BitSet taken = new BitSet();
    private final Map<Integer, Integer> perCategory = new HashMap<>();

    SlateBuilder(ItemSpace items, DiversityConstraint diversity, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.items = items;
        this.diversity = diversity;
        this.k = Math.min(k, items.recommendable());
    }

    /** Slots this slate can hold: min(k, recommendable items). */
    int capacity() {
        return k;
    }

    boolean full() {
        return slots.size() >= k;
    }

    int size() {
        return slots.size();
    }

    boolean fits(int item) {
        return item >= items.firstItem() && !taken.get(item) && diversity.admits(items.category(item), perCategory);
    }

    void add(int item, double score, SlotKind kind) {
        slots.add(new Slot(item, score, kind));
        taken.set(item);
        int c = items.category(item);
        if (c >= 0) {
            perCategory.merge(c, 1, Integer::sum);
        }
    }

    /** Adds the best-scoring items that fit until full; returns how many were added. */
    int fillByScore(int[] order, double[] scores, SlotKind kind) {
        return fillByScore(order, scores, item -> kind);
    }

    /** Adds the best-scoring items that fit until full, exploit when in {@code exploit}, else explore. */
    int fillByScore(int[] order, double[] scores, BitSet exploit) {
        return fillByScore(order, scores, item -> exploit.get(item) ? SlotKind.EXPLOIT : SlotKind.EXPLORE);
    }

    private int fillByScore(int[] order, double[] scores, IntFunction<SlotKind> kind) {
        int added = 0;
        for (int i = 0; i < order.length && !full(); i++) {
            int item = order[i];
            if (fits(item)) {
                add(item, scores[item], kind.apply(item));
                added++;
            }
        }
        return added;
    }

    /** Adds uniformly random items that fit, as explore slots, until full or none fits. */
    void fillRandom(SplittableRandom rng) {
        while (!full() && addRandom(rng, null, SlotKind.EXPLORE)) {
            // keep adding
        }
    }

    /** Adds one uniformly random item that fits (rejection sampling, then a scan); false if none fits. */
    boolean addRandom(SplittableRandom rng, double[] scores, SlotKind kind) {
        int lo = items.firstItem(), n = items.size();
        for (int attempt = 0; attempt < 64; attempt++) {
            int item = rng.nextInt(lo, n);
            if (fits(item)) {
                add(item, scores == null ? 0 : scores[item], kind);
                return true;
            }
        }
        int start = rng.nextInt(lo, n);
        for (int j = 0; j < n - lo; j++) {
            int item = lo + (start - lo + j) % (n - lo);
            if (fits(item)) {
                add(item, scores == null ? 0 : scores[item], kind);
                return true;
            }
        }
        return false;
    }

    Slate build(String policy, boolean coldStart) {
        return new Slate(slots, policy, coldStart);
    }

    /**
     * Item ids (from firstItem) sorted by descending score; ties by ascending id. Sorts packed longs, so it
     * allocates one long[] and no boxes.
     */
    static int[] descending(double[] scores, int firstItem) {
        int n = scores.length - firstItem;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits((float) scores[firstItem + i]);
            bits = bits >= 0 ? bits : bits ^ 0x7fffffff;      // order-preserving signed int
            long desc = ~((long) bits + 0x80000000L) & 0xffffffffL;   // smaller key = larger score
            keys[i] = ((desc << 32) | (firstItem + i)) ^ Long.MIN_VALUE;   // unsigned order under signed sort
        }
        Arrays.sort(keys);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }
}
