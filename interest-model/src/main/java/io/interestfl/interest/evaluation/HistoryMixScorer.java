package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.ItemCatalogue;

import java.util.List;

/**
 * Repeat-purchase-aware scoring: mixes a base scorer's scores (normalised to sum 1 over the products,
 * e.g. a model's softmax or popularity counts) with the customer's own purchase frequencies, which carry
 * the strongest signal in retail (customers re-order what they bought):
 * {@code score(i) = (1 - w) * base(i) / sum(base) + w * (recency-weighted count of i in the history) / total}.
 * An item's occurrence {@code d} positions before the end of the history counts
 * {@code decay^d} (1 = plain counts). With {@code w = 1} and popularity as the base this is the
 * "own history, popularity tie-break" baseline.
 */
public final class HistoryMixScorer implements CaseScorer {
    private final CaseScorer base;
    private final double weight;
    private final double decay;

    public HistoryMixScorer(CaseScorer base, double weight, double decay) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("history weight must be in [0, 1], got " + weight);
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1], got " + decay);
        }
        this.base = base;
        this.weight = weight;
        this.decay = decay;
    }

    @Override
    public float[][] score(List<HeldOutBasket> cases) {
        float[][] b = base.score(cases);
        for (int u = 0; u < b.length; u++) {
            float[] s = b[u];
            double sum = 0;
            for (int j = ItemCatalogue.RESERVED; j < s.length; j++) {
                sum += Math.max(0, s[j]);
            }
            // a tiny share of the base survives even at w = 1, as a tie-break among unseen items
            double wb = weight == 1 ? 1e-6 : 1 - weight;
            for (int j = 0; j < s.length; j++) {
                s[j] = (float) (sum == 0 ? 0 : wb * Math.max(0, s[j]) / sum);
            }
            double[] freq = new double[s.length];
            double total = recencyCounts(cases.get(u).history(), decay, freq);
            if (total > 0) {
                for (int j = ItemCatalogue.RESERVED; j < s.length; j++) {
                    s[j] += (float) (weight * freq[j] / total);
                }
            }
        }
        return b;
    }

    /**
     * Adds to {@code freq} each catalogue item's recency-weighted count in history {@code h} (an occurrence
     * {@code d} positions before the end counts {@code decay^d}; reserved and out-of-range ids are skipped) and
     * returns the total weight added.
     */
    static double recencyCounts(int[] h, double decay, double[] freq) {
        double total = 0, w = 1;
        for (int p = h.length - 1; p >= 0; p--, w *= decay) {
            int id = h[p];
            if (id >= ItemCatalogue.RESERVED && id < freq.length) {
                freq[id] += w;
                total += w;
            }
        }
        return total;
    }
}
