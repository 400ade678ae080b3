package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/** Dense row-major helpers for the small (d x d) systems of the linear posteriors. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /** Lower Cholesky factor L of a symmetric positive definite matrix (row-major, d x d): A = L L^T. */
    static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new ArithmeticException("matrix is not positive definite at row " + i);
                    }
                    l[i * d + i] = Math.sqrt(sum);
                } else {
                    l[i * d + j] = sum / l[j * d + j];
                }
            }
        }
        return l;
    }

    /** Solves A x = b given A's lower Cholesky factor. */
    static double[] choleskySolve(double[] l, int d, double[] b) {
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double acc = b[i];
            for (int k = 0; k < i; k++) {
                acc -= l[i * d + k] * y[k];
            }
            y[i] = acc / l[i * d + i];
        }
        return solveUpperTransposed(l, d, y);
    }

    /** Solves L^T x = y (back substitution on the transpose of the lower factor). */
    static double[] solveUpperTransposed(double[] l, int d, double[] y) {
        double[] x = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double acc = y[i];
            for (int k = i + 1; k < d; k++) {
                acc -= l[k * d + i] * x[k];
            }
            x[i] = acc / l[i * d + i];
        }
        return x;
    }

    /** A standard normal draw (Box-Muller, one of the pair). */
    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
