package io.interestfl.simulations.bandit;

import io.interestfl.interest.data.Purchase;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How fast a real catalogue renews itself: for each calendar month of a purchase log, the share of the products
 * sold that month that had never been sold before. It is the measured counterpart of the simulator's
 * {@code --item-churn} (the share of the catalogue replaced by new products at each retraining) when the
 * federation retrains once a month.
 *
 * <p>The log's first month has no history (every product is "new") and is left out; a last month that the log does
 * not cover to its end is marked partial and left out of the summary, since a short month sells fewer of the
 * established products and would overstate the share; so is a month that follows one without sales, whose new
 * products are two months' worth.
 */
public final class CatalogueChurn {

    /**
     * One calendar month.
     *
     * @param month         the month, in the log's zone
     * @param products      distinct products sold in the month
     * @param newProducts   of which sold for the first time in the log
     * @param newUnitsShare share of the month's units (quantity) sold of the new products
     * @param complete      the log covers the month to its end, the month is not the log's first and the month
     *                      before it had sales
     */
    public record Month(YearMonth month, int products, int newProducts, double newUnitsShare, boolean complete) {
        /** {@code newProducts / products}. */
        public double newShare() {
            return products == 0 ? 0 : (double) newProducts / products;
        }
    }

    /**
     * The months and the summary over the complete ones.
     *
     * @param months          every month of the log, in order
     * @param medianNewShare  median of {@link Month#newShare()} over the complete months (NaN when there is none)
     * @param meanNewShare    mean of the same
     */
    public record Report(List<Month> months, double medianNewShare, double meanNewShare) {
        /** Complete months in the summary. */
        public long completeMonths() {
            return months.stream().filter(Month::complete).count();
        }
    }

    private CatalogueChurn() {
    }

    /** Monthly churn of {@code purchases}, months taken in {@code zone} (Online Retail: Europe/London). */
    public static Report monthly(List<Purchase> purchases, ZoneId zone) {
        TreeMap<YearMonth, Map<String, Long>> unitsByMonth = new TreeMap<>();
        long last = Long.MIN_VALUE;
        for (Purchase p : purchases) {
            YearMonth m = YearMonth.from(Instant.ofEpochSecond(p.epochSeconds()).atZone(zone));
            unitsByMonth.computeIfAbsent(m, k -> new HashMap<>()).merge(p.stockCode(), (long) p.quantity(), Long::sum);
            last = Math.max(last, p.epochSeconds());
        }
        List<Month> months = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        // the log covers its last month to the end only if its last event falls on the month's last day
        ZonedDateTime end = purchases.isEmpty() ? null : Instant.ofEpochSecond(last).atZone(zone);
        boolean first = true;
        for (Map.Entry<YearMonth, Map<String, Long>> e : unitsByMonth.entrySet()) {
            long units = 0, newUnits = 0;
            int fresh = 0;
            for (Map.Entry<String, Long> item : e.getValue().entrySet()) {
                units += item.getValue();
                if (!seen.contains(item.getKey())) {
                    fresh++;
                    newUnits += item.getValue();
                }
            }
            boolean coveredToEnd = !e.getKey().equals(unitsByMonth.lastKey())
                    || end.getDayOfMonth() == e.getKey().lengthOfMonth();
            // after a month without sales, "new" would count two months' new products
            boolean afterAGap = !first && !unitsByMonth.containsKey(e.getKey().minusMonths(1));
            months.add(new Month(e.getKey(), e.getValue().size(), fresh, units == 0 ? 0 : (double) newUnits / units,
                    !first && coveredToEnd && !afterAGap));
            seen.addAll(e.getValue().keySet());
            first = false;
        }
        double[] shares = months.stream().filter(Month::complete).mapToDouble(Month::newShare).sorted().toArray();
        double median = shares.length == 0 ? Double.NaN : shares.length % 2 == 1 ? shares[shares.length / 2]
                : (shares[shares.length / 2 - 1] + shares[shares.length / 2]) / 2;
        double mean = shares.length == 0 ? Double.NaN : Arrays.stream(shares).average().orElseThrow();
        return new Report(List.copyOf(months), median, mean);
    }
}
