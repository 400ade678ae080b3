package io.interestfl.serving.policy;

/**
 * What this node has seen of each item on the current model: impressions {@code n_i} (carried over halved from
 * the previous model) and the sum of residuals {@code e} of its rewards (restarted at 0: the new model was
 * trained on them). The item-level offset is the posterior mean of a per-item random effect with prior
 * {@code N(0, sigma^2 / itemPrior)}: {@code delta_i = sum e / (itemPrior + n_i)}, whose variance
 * {@code sigma^2 / (itemPrior + n_i)} is the item-level term of the exploring policies. Replaced as a whole by
 * every model; guarded by itself.
 */
final class ItemStatistics {
    private final double[] shown;
    private final double[] residual;

    /** Statistics of a new model of {@code items} ids, keeping half the impressions of a previous one of the same size. */
    ItemStatistics(int items, ItemStatistics previous) {
        shown = new double[items];
        residual = new double[items];
        if (previous != null && previous.shown.length == items) {
            synchronized (previous) {
                for (int i = 0; i < items; i++) {
                    shown[i] = previous.shown[i] / 2;
                }
            }
        }
    }

    /** {@code delta_i}; the caller holds the lock. */
    private double offset(int item, double itemPrior) {
        return residual[item] / (itemPrior + shown[item]);
    }

    /** The offset of one item, 0 for an id beyond the statistics. */
    synchronized double offsetOf(int item, double itemPrior) {
        return item >= shown.length ? 0 : offset(item, itemPrior);
    }

    /** Adds {@code delta_i} to the scores of the ids from {@code firstItem} that the statistics cover. */
    synchronized void addOffsets(double[] scores, int firstItem, double itemPrior) {
        for (int i = firstItem; i < scores.length && i < shown.length; i++) {
            scores[i] += offset(i, itemPrior);
        }
    }

    /** Item-level variance factor {@code 1 / (itemPrior + n_i)} of every id from firstItem (0 when itemPrior is infinite). */
    double[] variances(ItemSpace it, double itemPrior) {
        double[] n = shown;
        double[] out = new double[it.size()];
        if (Double.isInfinite(itemPrior)) {
            return out;
        }
        for (int i = it.firstItem(); i < out.length; i++) {
            out[i] = 1.0 / (itemPrior + (i < n.length ? n[i] : 0));
        }
        return out;
    }

    /**
     * Learns from one feedback on an item: with offsets on, a click after its impression adds its reward to the
     * residual sum, a new observation adds its residual against the customer's {@code prediction} and
     * {@code categoryEffect} (none when the prediction is NaN); a new observation counts one impression. Returns the
     * item's offset before this feedback (0 when offsets are off).
     */
    synchronized double record(Feedback f, boolean offsets, double itemPrior, double prediction, double categoryEffect) {
        double offset = 0;
        if (f.item() < shown.length) {
            if (offsets) {
                offset = offset(f.item(), itemPrior);
                if (!f.newObservation()) {
                    residual[f.item()] += f.reward();   // a click after its impression
                } else if (!Double.isNaN(prediction)) {
                    // The residual against this customer's own posterior mean (and category effect), so that
                    // what the customer's posterior already explains is not counted again for the item.
                    residual[f.item()] += f.reward() - prediction - categoryEffect;
                }
            }
            if (f.newObservation()) {
                shown[f.item()]++;
            }
        }
        return offset;
    }

    /** A copy of the impressions per item. */
    synchronized double[] impressions() {
        return shown.clone();
    }

    /** Replaces the impression counts (e.g. by the federation's total). */
    synchronized void setImpressions(double[] counts) {
        if (counts.length != shown.length) {
            throw new IllegalArgumentException("counts has " + counts.length + " items, the model " + shown.length);
        }
        System.arraycopy(counts, 0, shown, 0, counts.length);
    }

    /** Impressions of one item (0 beyond the statistics). */
    double impressions(int item) {
        return item < shown.length ? shown[item] : 0;
    }

    /** Number of item ids covered. */
    int size() {
        return shown.length;
    }
}
