package io.interestfl.interest.data;

/**
 * What {@link OnlineRetailLoader#load} did with the rows of a file. Every data row (header excluded)
 * is counted in exactly one category; the filters are applied in this order:
 * malformed (only with skipMalformed) -&gt; cancellations (InvoiceNo starting with C, and A
 * adjustments) -&gt; missing customer -&gt; quantity &lt;= 0 -&gt; non-product stock code -&gt;
 * other country / excluded by the customer filter -&gt; exact duplicate -&gt; kept. So
 * {@code rowsRead == kept + cancellations + nonProduct + missingCustomer + nonPositiveQuantity +
 * duplicates + malformedSkipped + otherCountry + excludedByCustomerFilter}.
 *
 * @param rowsRead                 data rows read (header excluded)
 * @param kept                     rows returned as purchases
 * @param cancellations            InvoiceNo starting with 'C' (cancellation) or 'A' (bad-debt adjustment)
 * @param nonProduct               stock code that is not a product (see {@link OnlineRetailLoader#isProductCode})
 * @param missingCustomer          empty CustomerID
 * @param nonPositiveQuantity      Quantity &lt;= 0
 * @param duplicates               exact duplicates (all 8 fields equal) of an earlier kept row
 * @param malformedSkipped         malformed rows skipped (only when skipMalformed is on)
 * @param otherCountry             country not in the requested set
 * @param excludedByCustomerFilter rows whose customer was rejected by the customer filter
 */
public record LoadReport(long rowsRead, long kept, long cancellations, long nonProduct, long missingCustomer,
                         long nonPositiveQuantity, long duplicates, long malformedSkipped, long otherCountry,
                         long excludedByCustomerFilter) {

    /** The nine-count form (no customer filter exclusions). */
    public LoadReport(long rowsRead, long kept, long cancellations, long nonProduct, long missingCustomer,
                      long nonPositiveQuantity, long duplicates, long malformedSkipped, long otherCountry) {
        this(rowsRead, kept, cancellations, nonProduct, missingCustomer, nonPositiveQuantity, duplicates,
                malformedSkipped, otherCountry, 0);
    }

    /** A human-readable one-line summary. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "read %,d rows, kept %,d; dropped: %,d cancellations/adjustments, %,d missing customer, "
                        + "%,d quantity<=0, %,d non-product codes, %,d other country, %,d customer filter, "
                        + "%,d duplicates, %,d malformed",
                rowsRead, kept, cancellations, missingCustomer, nonPositiveQuantity, nonProduct, otherCountry,
                excludedByCustomerFilter, duplicates, malformedSkipped);
    }
}
