package io.interestfl.interest.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * A customer's interest profile over categories: the share of their (decayed, behaviour-weighted)
 * activity in each category, so that interests drift: an event {@code age} seconds before {@code now}
 * weighs {@code 2^(-age / halfLife)}, so after a long gap old interests fade. Behaviours weigh
 * view 1, cart 2, favorite 2, buy 3 (a purchase says more than a glance). The forecast for the next
 * period comes from a model's scores: the probability mass it puts on each category's items
 * ({@link #forecast}).
 *
 * @param shares share per category id (sums to 1, or all 0 when the history has no categorised event)
 */
public record CategoryProfile(double[] shares) {
    private static final double[] BEHAVIOUR_WEIGHT = {1, 2, 2, 3};

    public CategoryProfile {
        shares = shares.clone();
    }

    @Override
    public double[] shares() {
        return shares.clone();
    }

    /**
     * The profile of a history at time {@code nowEpochSeconds} with the given half-life; categories are
     * {@link Basket#category(int)} ids in {@code [0, categories)}; items without a category are ignored.
     */
    public static CategoryProfile of(CustomerHistory history, int categories, long nowEpochSeconds,
                                     double halfLifeDays) {
        if (!(halfLifeDays > 0)) {
            throw new IllegalArgumentException("half-life must be > 0 days, got " + halfLifeDays);
        }
        double[] w = new double[categories];
        double total = 0;
        for (Basket b : history.baskets()) {
            double age = Math.max(0, nowEpochSeconds - b.epochSeconds());
            double decay = Math.pow(2, -age / (halfLifeDays * 86400));
            for (int i = 0; i < b.size(); i++) {
                int c = b.category(i);
                if (c >= 0 && c < categories) {
                    double x = decay * BEHAVIOUR_WEIGHT[b.behaviour(i).ordinal()];
                    w[c] += x;
                    total += x;
                }
            }
        }
        if (total > 0) {
            for (int c = 0; c < categories; c++) {
                w[c] /= total;
            }
        }
        return new CategoryProfile(w);
    }

    /**
     * The next-period forecast: a model's scores over item ids (e.g. a softmax row) summed per category
     * of {@code categoryOfItem} (-1 = none) and normalised.
     */
    public static CategoryProfile forecast(float[] itemScores, int[] categoryOfItem, int categories) {
        double[] w = new double[categories];
        double total = 0;
        for (int i = ItemCatalogue.RESERVED; i < itemScores.length && i < categoryOfItem.length; i++) {
            int c = categoryOfItem[i];
            if (c >= 0 && c < categories && itemScores[i] > 0) {
                w[c] += itemScores[i];
                total += itemScores[i];
            }
        }
        if (total > 0) {
            for (int c = 0; c < categories; c++) {
                w[c] /= total;
            }
        }
        return new CategoryProfile(w);
    }

    /** Category ids by decreasing share (only those with a positive share). */
    public int[] top(int n) {
        Integer[] ids = new Integer[shares.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Arrays.sort(ids, (a, b) -> shares[a] != shares[b] ? Double.compare(shares[b], shares[a]) : Integer.compare(a, b));
        return Arrays.stream(ids).filter(i -> shares[i] > 0).limit(n).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoryProfile p && Arrays.equals(p.shares, shares);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shares);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CategoryProfile[");
        for (int c : top(5)) {
            sb.append(String.format(Locale.ROOT, "%d=%.3f ", c, shares[c]));
        }
        return sb.toString().trim() + "]";
    }
}
