package io.interestfl.privacy.accounting;

/**
 * The grid of Rényi orders the accountant evaluates: 1.1, 1.2, ..., 10.9, then 11, 12, ..., 63,
 * then 128, 256, 512, 1024 (the grid used by TF Privacy and Opacus).
 */
public final class RdpOrders {

    private static final double[] DEFAULT = build();

    private RdpOrders() {
    }

    /** A fresh copy of the default grid (156 orders). */
    public static double[] defaults() {
        return DEFAULT.clone();
    }

    static void checkOrder(double order) {
        if (!(order > 1) || Double.isInfinite(order)) {
            throw new IllegalArgumentException("Renyi order must be finite and > 1, got " + order);
        }
    }

    static double[] checkOrders(double[] orders) {
        if (orders.length == 0) {
            throw new IllegalArgumentException("at least one Renyi order is needed, got none");
        }
        for (double order : orders) {
            checkOrder(order);
        }
        return orders.clone();
    }

    private static double[] build() {
        double[] orders = new double[99 + 53 + 4];
        int n = 0;
        for (int i = 11; i <= 109; i++) {
            orders[n++] = i / 10.0;
        }
        for (int i = 11; i <= 63; i++) {
            orders[n++] = i;
        }
        for (int o : new int[] {128, 256, 512, 1024}) {
            orders[n++] = o;
        }
        return orders;
    }
}
