package io.interestfl.serving.policy;

import java.util.Arrays;

/**
 * Repeat or explore for one customer, applied to a policy's scores (the mixture of RepeatNet, Ren et al. AAAI 2019,
 * as the evaluation's {@code RepeatExploreScorer} scores it): the model's scores {@code s_i} are read as a softmax
 * {@code q_i = exp(s_i) / Z}, and the slate is ranked by
 * {@code log p_i} with {@code p_i = g w_i / W} for an item in the customer's history (weight {@code w_i}: how often
 * they had it) and {@code p_i = (1 - g) q_i / Q} for the others ({@code Q}: the softmax mass of the items they have
 * not had). {@code g} is the customer's own repeat rate shrunk towards the population's: 0 on a log where nobody
 * buys twice (the history is then ranked last), most of the slate on a retail log of rebuyers.
 *
 * <p>Scores are log-probabilities afterwards: on the explore side {@code log p_i = s_i + const}, so what an exploring
 * policy adds to {@code s_i} (a sampled parameter, an upper-confidence bonus) keeps its meaning.
 *
 * @param items   the distinct item ids of the customer's history
 * @param weights how often each was had ({@code > 0}), same length
 * @param gate    the repeat probability {@code g} in [0, 1]
 */
public record RepeatHead(int[] items, double[] weights, double gate) {
    public RepeatHead {
        if (items.length != weights.length) {
            throw new IllegalArgumentException(items.length + " items but " + weights.length + " weights");
        }
        if (!(gate >= 0 && gate <= 1)) {
            throw new IllegalArgumentException("repeat gate must be in [0, 1], got " + gate);
        }
        for (double w : weights) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("history weights must be > 0, got " + w);
            }
        }
        items = items.clone();
        weights = weights.clone();
    }

    /** Whether the item is in the customer's history (a repeat if recommended). */
    public boolean contains(int item) {
        for (int i : items) {
            if (i == item) {
                return true;
            }
        }
        return false;
    }

    /** Rewrites {@code scores} (ids below {@code firstItem} untouched) into the mixture's log-probabilities. */
    public void apply(double[] scores, int firstItem) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = firstItem; i < scores.length; i++) {
            if (scores[i] > max) {
                max = scores[i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return;
        }
        double[] q = new double[scores.length];
        double all = 0;
        for (int i = firstItem; i < scores.length; i++) {
            q[i] = Math.exp(scores[i] - max);
            all += q[i];
        }
        double[] own = new double[scores.length];
        double total = 0;
        for (int k = 0; k < items.length; k++) {
            int id = items[k];
            if (id >= firstItem && id < scores.length) {
                own[id] += weights[k];
                total += weights[k];
            }
        }
        double unseen = 0;   // summed directly: a difference all - seen loses the digits when the history holds the mass
        for (int i = firstItem; i < scores.length; i++) {
            if (own[i] == 0) {
                unseen += q[i];
            }
        }
        double g = total > 0 ? gate : 0;
        for (int i = firstItem; i < scores.length; i++) {
            double p = own[i] > 0 ? g * own[i] / total : unseen > 0 ? (1 - g) * q[i] / unseen : 0;
            // a trace of the model's own score orders items of equal mixture value (g = 0 or 1) as the model does
            scores[i] = Math.log(p + 1e-9 * q[i] / all);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepeatHead h && h.gate == gate && Arrays.equals(h.items, items)
                && Arrays.equals(h.weights, weights);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(items) * 31 + Arrays.hashCode(weights)) * 31 + Double.hashCode(gate);
    }

    @Override
    public String toString() {
        return "RepeatHead[" + items.length + " items, gate " + gate + "]";
    }
}
