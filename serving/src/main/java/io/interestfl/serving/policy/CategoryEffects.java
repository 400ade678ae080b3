package io.interestfl.serving.policy;

import java.util.Arrays;

/**
 * One customer's category effects: per category the residual sum and count of the customer's rewards on its
 * items, {@code gamma_c = sum e / (categoryPrior + n_c)}, variance factor {@code 1 / (categoryPrior + n_c)}.
 * Kept across models, halved at each. Guarded by itself.
 */
final class CategoryEffects {
    private double[] residual = new double[0];
    private double[] count = new double[0];

    private void ensure(int cat) {
        if (cat >= residual.length) {
            residual = Arrays.copyOf(residual, cat + 1);
            count = Arrays.copyOf(count, cat + 1);
        }
    }

    private double mean(int cat, double prior) {
        return cat < residual.length ? residual[cat] / (prior + count[cat]) : 0;
    }

    private void add(int cat, double residualValue, double observations) {
        ensure(cat);
        residual[cat] += residualValue;
        count[cat] += observations;
    }

    /** {@code gamma_c} of one category. */
    synchronized double meanOf(int cat, double prior) {
        return mean(cat, prior);
    }

    /** Fills {@code means} and {@code varianceFactors} for the categories {@code 0..means.length-1}. */
    synchronized void snapshot(double prior, double[] means, double[] varianceFactors) {
        for (int cat = 0; cat < means.length; cat++) {
            means[cat] = mean(cat, prior);
            varianceFactors[cat] = 1.0 / (prior + (cat < count.length ? count[cat] : 0));
        }
    }

    /**
     * Learns from one feedback on an item of category {@code cat}: a click after its impression adds its reward, a new
     * observation its residual against the customer's {@code prediction} and the item's {@code offset} and one
     * observation (nothing when the prediction is NaN).
     */
    synchronized void record(int cat, Feedback f, double prediction, double offset) {
        if (!f.newObservation()) {
            add(cat, f.reward(), 0);
        } else if (!Double.isNaN(prediction)) {
            add(cat, f.reward() - prediction - offset, 1);
        }
    }

    /** Halves the statistics; true when less than a quarter of an observation is left over all categories. */
    synchronized boolean halveAndFaded() {
        double total = 0;
        for (int i = 0; i < residual.length; i++) {
            residual[i] /= 2;
            count[i] /= 2;
            total += count[i];
        }
        return total < 0.25;
    }
}
