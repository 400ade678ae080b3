package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The cleaning rules of {@link OnlineRetailLoader} applied to well-formed rows, in the class comment's order
 * (cancellation, missing customer, quantity &lt;= 0, non-product code, other country, customer filter, exact
 * duplicate); each dropped row is counted once, the rest become {@link Purchase}s with their strings shared.
 * Not thread-safe: one per load.
 */
final class OnlineRetailCleaning {
    private final Set<String> countries;
    private final LongPredicate customerFilter;
    private final boolean dropDuplicates;
    private final boolean dropNonProduct;
    private final Map<String, String> interned = new HashMap<>();
    private final Set<RowFingerprint> seen = new HashSet<>();
    private final List<Purchase> purchases = new ArrayList<>();
    private long cancellations, nonProduct, missingCustomer, nonPositiveQuantity, duplicates, otherCountry,
            excludedByCustomerFilter;

    OnlineRetailCleaning(Set<String> countries, LongPredicate customerFilter, boolean dropDuplicates,
                         boolean dropNonProduct) {
        this.countries = countries;
        this.customerFilter = customerFilter;
        this.dropDuplicates = dropDuplicates;
        this.dropNonProduct = dropNonProduct;
    }

    /** Keeps the row as a purchase or counts why it is dropped. */
    void accept(OnlineRetailRowParser.Parsed row) {
        char first = row.invoice().charAt(0);
        if (first == 'C' || first == 'c' || first == 'A' || first == 'a') {
            cancellations++;
            return;
        }
        if (row.customer() < 0) {
            missingCustomer++;
            return;
        }
        if (row.quantity() <= 0) {
            nonPositiveQuantity++;
            return;
        }
        if (dropNonProduct && !OnlineRetailLoader.isProductCode(row.stockCode())) {
            nonProduct++;
            return;
        }
        if (!countries.isEmpty() && !countries.contains(row.country())) {
            otherCountry++;
            return;
        }
        if (!customerFilter.test(row.customer())) {
            excludedByCustomerFilter++;
            return;
        }
        if (dropDuplicates && !seen.add(RowFingerprint.of(row.fields()))) {
            duplicates++;
            return;
        }
        purchases.add(new Purchase(intern(row.invoice()), intern(row.stockCode()), row.customer(),
                intern(row.country()), row.epochSeconds(), row.quantity()));
    }

    private String intern(String s) {
        String prev = interned.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    /** The purchases kept and the report, given the rows read and the malformed ones skipped. */
    LoadResult result(long rowsRead, long malformedSkipped) {
        LoadReport report = new LoadReport(rowsRead, purchases.size(), cancellations, nonProduct,
                missingCustomer, nonPositiveQuantity, duplicates, malformedSkipped, otherCountry,
                excludedByCustomerFilter);
        return new LoadResult(purchases, report);
    }
}
