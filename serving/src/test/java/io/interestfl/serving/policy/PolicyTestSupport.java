package io.interestfl.serving.policy;

/** Small hand-checkable item spaces. */
final class PolicyTestSupport {
    private PolicyTestSupport() {
    }

    /** n items in 2-D on the unit circle, item i at angle i * 2pi / n, category i % categories (or none). */
    static ItemSpace circle(int n, Integer categories) {
        float[][] v = new float[n][];
        int[] cat = categories == null ? null : new int[n];
        double[] pop = new double[n];
        for (int i = 0; i < n; i++) {
            double a = i * 2 * Math.PI / n;
            v[i] = new float[]{(float) Math.cos(a), (float) Math.sin(a)};
            if (cat != null) {
                cat[i] = i % categories;
            }
            pop[i] = n - i;   // item 0 most popular
        }
        return new ItemSpace(v, null, cat, pop, 0);
    }

    static PolicyConfig config(double epsilon, long seed) {
        return new PolicyConfig(2.0, 0.5, 1.0, 0, EpsilonSchedule.constant(epsilon), 1.0, 1.0,
                Double.POSITIVE_INFINITY, DiversityConstraint.NONE, 0.3, seed);
    }
}
