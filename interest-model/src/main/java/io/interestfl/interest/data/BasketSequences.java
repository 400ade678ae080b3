package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns purchases into per-customer basket sequences.
 */
public final class BasketSequences {
    private BasketSequences() {
    }

    /**
     * Groups purchases by customer (result sorted by customer id), then by invoice. Baskets are in time
     * order, ties broken by invoice number (numerically when both are numeric, else as strings). Items
     * in a basket are in file order with repeats removed (first occurrence kept); unknown codes map to
     * {@link ItemCatalogue#OOV}. The basket time is that of the invoice's first row.
     */
    public static List<CustomerHistory> build(List<Purchase> purchases, ItemCatalogue catalogue) {
        Map<Long, Map<String, Acc>> byCustomer = new TreeMap<>();
        for (Purchase p : purchases) {
            Map<String, Acc> invoices = byCustomer.computeIfAbsent(p.customerId(), k -> new LinkedHashMap<>());
            Acc acc = invoices.computeIfAbsent(p.invoice(), inv -> new Acc(inv, p.epochSeconds()));
            int id = catalogue.idOf(p.stockCode());
            if (!acc.contains(id)) {
                acc.add(id);
            }
        }
        List<CustomerHistory> out = new ArrayList<>(byCustomer.size());
        for (Map.Entry<Long, Map<String, Acc>> e : byCustomer.entrySet()) {
            List<Acc> accs = new ArrayList<>(e.getValue().values());
            accs.sort(Comparator.comparingLong((Acc a) -> a.epoch).thenComparing(a -> a.invoice,
                    BasketSequences::compareInvoices));
            List<Basket> baskets = new ArrayList<>(accs.size());
            for (Acc a : accs) {
                baskets.add(new Basket(a.epoch, a.toArray()));
            }
            out.add(new CustomerHistory(e.getKey(), baskets));
        }
        return out;
    }

    /** Numeric comparison when both invoice numbers are all digits (and fit a long), else string order. */
    static int compareInvoices(String a, String b) {
        if (isDigits(a) && isDigits(b)) {
            int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static final class Acc {
        final String invoice;
        final long epoch;
        int[] items = new int[8];
        int n;

        Acc(String invoice, long epoch) {
            this.invoice = invoice;
            this.epoch = epoch;
        }

        boolean contains(int id) {
            for (int i = 0; i < n; i++) {
                if (items[i] == id) {
                    return true;
                }
            }
            return false;
        }

        void add(int id) {
            if (n == items.length) {
                items = java.util.Arrays.copyOf(items, n * 2);
            }
            items[n++] = id;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(items, n);
        }
    }
}
