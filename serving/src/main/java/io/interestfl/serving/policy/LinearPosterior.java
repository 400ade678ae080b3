package io.interestfl.serving.policy;

/**
 * Bayesian linear regression of one customer's reward on the item vectors, centred on the customer's
 * representation: {@code r = theta . v_i + b_i + noise}, noise {@code N(0, sigma^2)}, prior
 * {@code theta ~ N(x, sigma^2 / lambda I)} where {@code x} is the interest model's customer vector.
 *
 * <p>Sufficient statistics {@code S = sum v v^T} and {@code s = sum (r - b) v} over the customer's
 * observations, each optionally discounted by {@code gamma} per new observation (forgetting for drifting
 * interests; {@code gamma = 1} forgets nothing). Posterior: precision {@code A = lambda I + S},
 * mean {@code mu = A^-1 (lambda x + s)}, covariance {@code sigma^2 A^-1}. The prior mean enters only at
 * read time, so a new customer vector applies at once without replaying observations. Not thread-safe:
 * callers synchronize on the instance.
 */
public final class LinearPosterior {
    private final int d;
    private final double lambda;
    private final double gamma;
    private final double[] s2;      // S, row-major d x d
    private final double[] s1;      // s
    private long observations;

    public LinearPosterior(int dimension, double lambda, double gamma) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda (prior precision) must be > 0, got " + lambda);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma (discount) must be in (0, 1], got " + gamma);
        }
        this.d = dimension;
        this.lambda = lambda;
        this.gamma = gamma;
        this.s2 = new double[d * d];
        this.s1 = new double[d];
    }

    /** Adds one observation of reward {@code residual} (reward minus item bias) on item vector {@code v}. */
    public void observe(float[] v, double residual) {
        if (gamma < 1) {
            for (int i = 0; i < s2.length; i++) {
                s2[i] *= gamma;
            }
            for (int i = 0; i < d; i++) {
                s1[i] *= gamma;
            }
        }
        for (int i = 0; i < d; i++) {
            double vi = v[i];
            for (int j = 0; j < d; j++) {
                s2[i * d + j] += vi * v[j];
            }
            s1[i] += residual * vi;
        }
        observations++;
    }

    /** Adds reward to the last observation of {@code v} (a click after its impression): {@code s += r v}. */
    public void addReward(float[] v, double reward) {
        for (int i = 0; i < d; i++) {
            s1[i] += reward * v[i];
        }
    }

    public long observations() {
        return observations;
    }

    /** Lower Cholesky factor of the precision {@code A = lambda I + S}, row-major. */
    public double[] precisionCholesky() {
        double[] a = s2.clone();
        for (int i = 0; i < d; i++) {
            a[i * d + i] += lambda;
        }
        return LinearAlgebra.cholesky(a, d);
    }

    /** Posterior mean for prior mean {@code x} ({@code null}: zero). */
    public double[] mean(float[] x, double[] chol) {
        double[] rhs = s1.clone();
        if (x != null) {
            for (int i = 0; i < d; i++) {
                rhs[i] += lambda * x[i];
            }
        }
        return LinearAlgebra.choleskySolve(chol, d, rhs);
    }

    /** {@code v^T A^-1 v} (so the posterior standard deviation of {@code theta . v} is sigma times its root). */
    public static double quadraticForm(double[] chol, int d, float[] v, double[] work) {
        // w = L^-1 v (forward substitution); v^T A^-1 v = |w|^2
        double q = 0;
        for (int i = 0; i < d; i++) {
            double acc = v[i];
            int row = i * d;
            for (int j = 0; j < i; j++) {
                acc -= chol[row + j] * work[j];
            }
            double w = acc / chol[row + i];
            work[i] = w;
            q += w * w;
        }
        return q;
    }
}
