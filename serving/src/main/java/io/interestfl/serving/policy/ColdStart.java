package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/**
 * The slate for a customer the interest model does not know: the most popular items (exploit) followed by random
 * ones (explore), the latter a {@code coldStartExplore} share of the slate. One per item space; immutable.
 */
final class ColdStart {
    private final int[] popularOrder;

    ColdStart(ItemSpace it) {
        double[] pop = new double[it.size()];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = it.popularity(i);
        }
        this.popularOrder = SlateBuilder.descending(pop, it.firstItem());
    }

    /** Fills {@code slate} (built on the same item space) with an {@code explore} share of random items. */
    void fill(ItemSpace it, SlateBuilder slate, double explore, SplittableRandom r) {
        int k = slate.capacity();
        int exploreSlots = (int) Math.round(k * explore);
        int[] order = popularOrder;
        for (int i = 0; i < order.length && slate.size() < k - exploreSlots; i++) {
            if (slate.fits(order[i])) {
                slate.add(order[i], it.popularity(order[i]), SlotKind.EXPLOIT);
            }
        }
        slate.fillRandom(r);
    }
}
