package io.interestfl.serving.policy;

/**
 * At most {@code maxPerCategory} items of one category in a slate. {@code 0} means no constraint; without
 * categories in the item space the constraint is a no-op.
 */
public record DiversityConstraint(int maxPerCategory) {
    public static final DiversityConstraint NONE = new DiversityConstraint(0);

    public DiversityConstraint {
        if (maxPerCategory < 0) {
            throw new IllegalArgumentException("maxPerCategory must be >= 0 (0 = no limit), got " + maxPerCategory);
        }
    }

    /** Whether one more item of {@code category} fits, given the counts so far. */
    boolean admits(int category, java.util.Map<Integer, Integer> counts) {
        return maxPerCategory == 0 || category < 0 || counts.getOrDefault(category, 0) < maxPerCategory;
    }
}
