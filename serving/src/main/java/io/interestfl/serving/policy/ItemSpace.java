package io.interestfl.serving.policy;

import java.util.Arrays;

/**
 * The items a policy can recommend, as the interest model sees them: one vector and one bias per item id
 * (for {@code InterestModel}: the output layer's weight column and bias of the item), optional categories
 * and a popularity used for cold start.
 *
 * <p>Item ids below {@code firstItem} (the catalogue's padding and out-of-vocabulary ids) are never
 * recommended. Arrays are not copied: treat an ItemSpace as immutable once built.
 */
public final class ItemSpace {
    private final float[][] vectors;
    private final float[] bias;
    private final int[] categories;
    private final double[] popularity;
    private final int firstItem;
    private final int dimension;
    private volatile double[][] columns;   // lazily: columns[j][i] = vectors[i][j]

    /**
     * @param vectors    item vectors, {@code vectors[i]} of length d for every id i
     * @param bias       item biases (length n) or {@code null} for zeros
     * @param categories category of each item (length n, &gt;= 0) or {@code null}: no categories, the diversity
     *                   constraint is then a no-op
     * @param popularity non-negative popularity (length n) or {@code null} for uniform
     * @param firstItem  smallest recommendable id (2 for an {@code ItemCatalogue}, 0 in the simulator)
     */
    public ItemSpace(float[][] vectors, float[] bias, int[] categories, double[] popularity, int firstItem) {
        int n = vectors.length;
        if (n == 0) {
            throw new IllegalArgumentException("item space needs at least one item");
        }
        if (firstItem < 0 || firstItem >= n) {
            throw new IllegalArgumentException("firstItem must be in [0, " + n + "), got " + firstItem);
        }
        dimension = vectors[0].length;
        for (int i = 0; i < n; i++) {
            if (vectors[i].length != dimension) {
                throw new IllegalArgumentException("item " + i + " has dimension " + vectors[i].length
                        + " but item 0 has " + dimension);
            }
        }
        checkLength("bias", bias == null ? n : bias.length, n);
        checkLength("categories", categories == null ? n : categories.length, n);
        checkLength("popularity", popularity == null ? n : popularity.length, n);
        this.vectors = vectors;
        this.bias = bias != null ? bias : new float[n];
        this.categories = categories;
        if (popularity == null) {
            popularity = new double[n];
            Arrays.fill(popularity, 1.0);
        }
        this.popularity = popularity;
        this.firstItem = firstItem;
    }

    private static void checkLength(String what, int got, int n) {
        if (got != n) {
            throw new IllegalArgumentException(what + " has length " + got + " but there are " + n + " item vectors");
        }
    }

    /** Number of item ids (including the non-recommendable ones below {@link #firstItem()}). */
    public int size() {
        return vectors.length;
    }

    public int dimension() {
        return dimension;
    }

    public int firstItem() {
        return firstItem;
    }

    /** Number of recommendable items. */
    public int recommendable() {
        return vectors.length - firstItem;
    }

    public float[] vector(int item) {
        return vectors[item];
    }

    public float bias(int item) {
        return bias[item];
    }

    public boolean hasCategories() {
        return categories != null;
    }

    /** Category of the item, or -1 without categories. */
    public int category(int item) {
        return categories == null ? -1 : categories[item];
    }

    public double popularity(int item) {
        return popularity[item];
    }

    /** The item vectors by coordinate: {@code columns()[j][i] = vector(i)[j]} (computed once, shared: do not modify). */
    double[][] columns() {
        double[][] c = columns;
        if (c == null) {
            c = new double[dimension][vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                for (int j = 0; j < dimension; j++) {
                    c[j][i] = vectors[i][j];
                }
            }
            columns = c;
        }
        return c;
    }

    /** {@code theta . v_i + b_i} for every id (ids below firstItem get -infinity). */
    public double[] linearScores(double[] theta) {
        double[] out = new double[vectors.length];
        Arrays.fill(out, 0, firstItem, Double.NEGATIVE_INFINITY);
        for (int i = firstItem; i < vectors.length; i++) {
            out[i] = linearScore(theta, i);
        }
        return out;
    }

    /** {@code theta . v_i + b_i} of one item. */
    public double linearScore(double[] theta, int item) {
        float[] v = vectors[item];
        double s = bias[item];
        for (int j = 0; j < dimension; j++) {
            s += theta[j] * v[j];
        }
        return s;
    }
}
