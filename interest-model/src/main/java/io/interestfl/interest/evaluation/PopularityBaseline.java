package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;

import java.util.List;

/**
 * Most-popular baseline: the score of an item is the number of training baskets that contain it
 * (baskets hold distinct items, so this is the purchase count); the same for every user.
 * Padding and OOV score 0 (and are never ranked by {@link RankingEvaluator}).
 */
public final class PopularityBaseline implements Scorer {
    private final float[] counts;

    private PopularityBaseline(float[] counts) {
        this.counts = counts;
    }

    public static PopularityBaseline fromHistories(List<CustomerHistory> train, int catalogueSize) {
        float[] counts = new float[catalogueSize];
        for (CustomerHistory c : train) {
            for (Basket b : c.baskets()) {
                for (int j = 0; j < b.size(); j++) {
                    int id = b.item(j);
                    if (id >= 2 && id < catalogueSize) {
                        counts[id]++;
                    }
                }
            }
        }
        return new PopularityBaseline(counts);
    }

    /** Copy of the per-item counts. */
    public float[] counts() {
        return counts.clone();
    }

    @Override
    public float[][] score(int[][] histories) {
        float[][] out = new float[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            out[i] = counts.clone();
        }
        return out;
    }
}
