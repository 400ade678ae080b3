package io.interestfl.interest.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Streaming loader and cleaner for the UCI "Online Retail" CSV
 * ({@code InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country}).
 *
 * <h2>Reading</h2>
 * The file may be gzip-compressed (detected by the magic bytes {@code 1f 8b}, not by the name) or
 * plain UTF-8. It is read line by line; only the cleaned {@link Purchase}s are kept in memory. Fields
 * are split by a hand-written RFC 4180 parser: fields may be quoted, quoted fields may contain commas
 * and doubled quotes ({@code ""}), fields may be empty. One physical line is one record (the data has
 * no line breaks inside quoted fields, so a quote still open at the end of a line is reported as an
 * unterminated quote). A trailing {@code \r} (CRLF files) is ignored, and so are completely empty lines.
 * Columns are located by the header names, so their order does not matter; all eight must be present
 * (extra columns, such as the unnamed row-name column R's {@code write.csv} adds first, are ignored).
 *
 * <h2>Two forms</h2>
 * {@link Format#SHARED}: the shared file (ISO {@code YYYY-MM-DD HH:MM:SS} dates, LF, minimal quoting).
 * {@link Format#R_CSV}: R's {@code write.csv} form (CRLF, every string quoted, a leading row-name column,
 * {@code M/D/YYYY H:MM} dates (seconds optional), {@code NA} for a missing value). {@link Format#AUTO}
 * (the default) decides from the header line (quoted names or a CRLF ending mean the R form) and then
 * holds every row to that form's dates. In both forms an empty or {@code NA} CustomerID is a missing customer.
 *
 * <h2>Cleaning</h2>
 * Each data row ends up in exactly one {@link LoadReport} category, tested in this order:
 * <ol>
 *   <li>malformed: wrong number of fields, unterminated or stray quote, Quantity not an integer,
 *       InvoiceDate not in the file's date form, CustomerID (when not empty) not an integer
 *       (a {@code .0} suffix as written by some spreadsheet exports is accepted), empty InvoiceNo or
 *       StockCode. Throws {@link MalformedDataException} (file, line, column) unless skipMalformed.</li>
 *   <li>cancellation: InvoiceNo starts with {@code C} (cancellation) or {@code A} (bad-debt adjustment);</li>
 *   <li>missing customer: empty CustomerID;</li>
 *   <li>non-positive quantity: Quantity &lt;= 0;</li>
 *   <li>non-product: the stock code is not a product code, see {@link #isProductCode(String)}
 *       (can be switched off with {@link Builder#dropNonProduct(boolean)});</li>
 *   <li>other country: Country not in the requested set (empty set = all countries); then the customer
 *       filter ({@link LongPredicate} on CustomerID);</li>
 *   <li>duplicate: all eight raw fields equal to those of an earlier row that was kept (can be switched
 *       off with {@link Builder#dropDuplicates(boolean)}). Rows are compared by a 128-bit hash of their
 *       fields, so memory stays at 16 bytes per kept row; a false "duplicate" would need a 128-bit
 *       collision.</li>
 * </ol>
 * Dates are UK wall-clock times and are converted with the {@code Europe/London} rules
 * (for an ambiguous autumn hour the earlier offset is used).
 * Stock codes are kept exactly as written (case preserved, so {@code 85123A} and {@code 85123a} are
 * different products, as in SOURCE.md's product count).
 *
 * <p>Instances are immutable and thread-safe; {@link #load(Path)} can be called concurrently.
 */
public final class OnlineRetailLoader {

    /** Header names of the eight columns. */
    public static final String INVOICE_NO = "InvoiceNo", STOCK_CODE = "StockCode", DESCRIPTION = "Description",
            QUANTITY = "Quantity", INVOICE_DATE = "InvoiceDate", UNIT_PRICE = "UnitPrice",
            CUSTOMER_ID = "CustomerID", COUNTRY = "Country";

    private final Set<String> countries;
    private final LongPredicate customerFilter;
    private final boolean skipMalformed;
    private final boolean dropDuplicates;
    private final boolean dropNonProduct;
    private final Format format;

    /** The file's dialect; see the class comment. */
    public enum Format {
        /** Decide from the header line (quoted or CRLF: R form). */
        AUTO,
        /** ISO dates, LF, minimal quoting (the shared file). */
        SHARED,
        /** R {@code write.csv}: {@code M/D/YYYY H:MM} dates, CRLF, all strings quoted, {@code NA}. */
        R_CSV;

        /** Parses {@code auto}, {@code shared} (or {@code iso}), {@code r} (or {@code r-csv}). */
        public static Format parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "shared", "iso" -> SHARED;
                case "r", "r-csv", "r_csv", "write.csv" -> R_CSV;
                default -> throw new IllegalArgumentException("unknown Online Retail form '" + s
                        + "' (expected auto, shared or r-csv)");
            };
        }

        /** The form of a file by its raw first line: R's write.csv quotes the header names and ends lines with CRLF,
         * the shared file does neither. */
        static Format detect(String firstLine) {
            String raw = firstLine.startsWith("\uFEFF") ? firstLine.substring(1) : firstLine;
            return raw.startsWith("\"") || raw.endsWith("\r") ? R_CSV : SHARED;
        }
    }

    private OnlineRetailLoader(Builder b) {
        this.format = b.format;
        this.countries = Set.copyOf(b.countries);
        this.customerFilter = b.customerFilter;
        this.skipMalformed = b.skipMalformed;
        this.dropDuplicates = b.dropDuplicates;
        this.dropNonProduct = b.dropNonProduct;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A loader with default options: all countries, all customers, throw on malformed rows. */
    public static OnlineRetailLoader defaults() {
        return builder().build();
    }

    /** Options for {@link OnlineRetailLoader}. */
    public static final class Builder {
        private Set<String> countries = Set.of();
        private LongPredicate customerFilter = id -> true;
        private boolean skipMalformed = false;
        private boolean dropDuplicates = true;
        private boolean dropNonProduct = true;
        private Format format = Format.AUTO;

        private Builder() {
        }

        /** The file's form (default {@link Format#AUTO}: detected from the first data row). */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Countries to keep, exactly as written in the file; empty (the default) keeps all. */
        public Builder countries(Set<String> countries) {
            this.countries = Set.copyOf(Objects.requireNonNull(countries, "countries"));
            return this;
        }

        /** Convenience for {@link #countries(Set)}. */
        public Builder countries(String... countries) {
            return countries(Set.of(countries));
        }

        /** Keeps only customers accepted by the predicate (default: all), e.g. a
         * {@link CustomerPartition#bucketFilter hash bucket} to split the UK into pseudo-regions. */
        public Builder customerFilter(LongPredicate customerFilter) {
            this.customerFilter = Objects.requireNonNull(customerFilter, "customerFilter");
            return this;
        }

        /** {@code false} (default): a malformed row throws {@link MalformedDataException};
         * {@code true}: it is skipped and counted in {@link LoadReport#malformedSkipped()}. */
        public Builder skipMalformed(boolean skipMalformed) {
            this.skipMalformed = skipMalformed;
            return this;
        }

        /** Drop exact duplicate rows (default {@code true}). */
        public Builder dropDuplicates(boolean dropDuplicates) {
            this.dropDuplicates = dropDuplicates;
            return this;
        }

        /** Drop rows whose stock code is not a product (default {@code true}). */
        public Builder dropNonProduct(boolean dropNonProduct) {
            this.dropNonProduct = dropNonProduct;
            return this;
        }

        public OnlineRetailLoader build() {
            return new OnlineRetailLoader(this);
        }
    }

    /**
     * The product-code rule: exactly five ASCII digits followed by zero or more ASCII letters
     * ({@code 85123A}, {@code 15056BL}, {@code 85123a}). This excludes every non-product code of the data
     * set: POST, DOT, M, m, C2, D, S, B, BANK CHARGES, AMAZONFEE, CRUK, PADS, DCGS*, gift_0001_*.
     */
    public static boolean isProductCode(String code) {
        int n = code.length();
        if (n < 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        for (int i = 5; i < n; i++) {
            char c = code.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    /** Loads and cleans a gzip or plain CSV file. */
    public LoadResult load(Path file) {
        return TextInput.load(file, this::load);
    }

    /**
     * Loads and cleans a gzip or plain CSV stream; {@code name} is used in error messages.
     * The stream is not closed.
     */
    public LoadResult load(InputStream in, String name) throws IOException {
        RowReader rows = new RowReader(TextInput.open(in), name, skipMalformed);
        String header = rows.firstLine("empty file, expected a header row");
        Format form = format == Format.AUTO ? Format.detect(header) : format;
        OnlineRetailRowParser parser = new OnlineRetailRowParser(rows, RowReader.stripBomAndCr(header), form);
        OnlineRetailCleaning cleaning = new OnlineRetailCleaning(countries, customerFilter, dropDuplicates,
                dropNonProduct);
        rows.forEachRow((line, lineNo) -> cleaning.accept(parser.parse(line, lineNo)));
        return cleaning.result(rows.rowsRead(), rows.malformedSkipped());
    }
}
