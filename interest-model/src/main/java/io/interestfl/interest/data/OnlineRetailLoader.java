package io.interestfl.interest.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private static final String[] COLUMNS = {INVOICE_NO, STOCK_CODE, DESCRIPTION, QUANTITY, INVOICE_DATE,
            UNIT_PRICE, CUSTOMER_ID, COUNTRY};
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

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
        return new Run(name).read(TextInput.open(in));
    }

    /** Mutable state of one load. */
    private final class Run {
        private final String name;
        private final Map<String, String> interned = new HashMap<>();
        private final Set<Hash128> seen = new HashSet<>();
        private final List<Purchase> purchases = new ArrayList<>();
        private final CsvLineParser parser = new CsvLineParser();
        private long rowsRead, cancellations, nonProduct, missingCustomer, nonPositiveQuantity, duplicates,
                malformedSkipped, otherCountry, excludedByCustomerFilter;
        private final int[] index = new int[COLUMNS.length];
        private int fieldCount;
        private String[] headerNames;
        private Format form = format;

        Run(String name) {
            this.name = name;
        }

        LoadResult read(BufferedReader reader) throws IOException {
            String line = reader.readLine();
            long lineNo = 1;
            if (line == null) {
                throw new MalformedDataException(name, 1, null, "empty file, expected a header row");
            }
            if (form == Format.AUTO) {
                // R's write.csv quotes the header names and ends lines with CRLF; the shared file does neither
                String raw = line.startsWith("\uFEFF") ? line.substring(1) : line;
                form = raw.startsWith("\"") || raw.endsWith("\r") ? Format.R_CSV : Format.SHARED;
            }
            line = stripBomAndCr(line);
            parseHeader(line);
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isEmpty()) {
                    continue;
                }
                rowsRead++;
                try {
                    row(line, lineNo);
                } catch (MalformedDataException e) {
                    if (!skipMalformed) {
                        throw e;
                    }
                    malformedSkipped++;
                }
            }
            LoadReport report = new LoadReport(rowsRead, purchases.size(), cancellations, nonProduct,
                    missingCustomer, nonPositiveQuantity, duplicates, malformedSkipped, otherCountry,
                    excludedByCustomerFilter);
            return new LoadResult(purchases, report);
        }

        private String stripBomAndCr(String line) {
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line = line.substring(0, line.length() - 1);
            }
            return line;
        }

        private void parseHeader(String line) {
            List<String> header;
            try {
                header = parser.parse(line);
            } catch (CsvLineParser.CsvSyntaxException e) {
                throw new MalformedDataException(name, 1, null, "header: " + e.getMessage());
            }
            headerNames = header.toArray(new String[0]);
            fieldCount = header.size();
            for (int c = 0; c < COLUMNS.length; c++) {
                int at = header.indexOf(COLUMNS[c]);
                if (at < 0) {
                    throw new MalformedDataException(name, 1, null,
                            "header lacks column " + COLUMNS[c] + " (found " + header + ")");
                }
                index[c] = at;
            }
        }

        private String columnName(int fieldIndex) {
            return fieldIndex < headerNames.length ? headerNames[fieldIndex] : "#" + (fieldIndex + 1);
        }

        private void row(String line, long lineNo) {
            List<String> f;
            try {
                f = parser.parse(line);
            } catch (CsvLineParser.CsvSyntaxException e) {
                throw new MalformedDataException(name, lineNo, columnName(e.fieldIndex()), e.getMessage());
            }
            if (f.size() < fieldCount) {
                throw new MalformedDataException(name, lineNo, columnName(f.size()),
                        "missing (expected " + fieldCount + " fields but found " + f.size() + ")");
            }
            if (f.size() > fieldCount) {
                throw new MalformedDataException(name, lineNo, columnName(fieldCount),
                        "unexpected extra field (expected " + fieldCount + " fields but found " + f.size() + ")");
            }
            String invoice = f.get(index[0]);
            String stockCode = f.get(index[1]);
            String quantityText = f.get(index[3]);
            String dateText = f.get(index[4]);
            String customerText = f.get(index[6]);
            String country = f.get(index[7]);
            if (invoice.isEmpty()) {
                throw new MalformedDataException(name, lineNo, INVOICE_NO, "empty invoice number");
            }
            if (stockCode.isEmpty()) {
                throw new MalformedDataException(name, lineNo, STOCK_CODE, "empty stock code");
            }
            int quantity = parseInt(quantityText, lineNo);
            long epoch = parseDate(dateText, lineNo);
            long customer = customerText.isEmpty() || customerText.equals("NA") ? -1
                    : parseCustomer(customerText, lineNo);

            char first = invoice.charAt(0);
            if (first == 'C' || first == 'c' || first == 'A' || first == 'a') {
                cancellations++;
                return;
            }
            if (customer < 0) {
                missingCustomer++;
                return;
            }
            if (quantity <= 0) {
                nonPositiveQuantity++;
                return;
            }
            if (dropNonProduct && !isProductCode(stockCode)) {
                nonProduct++;
                return;
            }
            if (!countries.isEmpty() && !countries.contains(country)) {
                otherCountry++;
                return;
            }
            if (!customerFilter.test(customer)) {
                excludedByCustomerFilter++;
                return;
            }
            if (dropDuplicates && !seen.add(Hash128.of(f))) {
                duplicates++;
                return;
            }
            purchases.add(new Purchase(intern(invoice), intern(stockCode), customer, intern(country), epoch,
                    quantity));
        }

        private String intern(String s) {
            String prev = interned.putIfAbsent(s, s);
            return prev == null ? s : prev;
        }

        private int parseInt(String text, long lineNo) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new MalformedDataException(name, lineNo, QUANTITY, "'" + text + "' is not an integer");
            }
        }

        private long parseCustomer(String text, long lineNo) {
            String t = text.trim();
            int dot = t.indexOf('.');
            if (dot >= 0) {
                for (int i = dot + 1; i < t.length(); i++) {
                    if (t.charAt(i) != '0') {
                        throw new MalformedDataException(name, lineNo, CUSTOMER_ID,
                                "'" + text + "' is not an integer customer id");
                    }
                }
                t = t.substring(0, dot);
            }
            try {
                long id = Long.parseLong(t);
                if (id < 0) {
                    throw new NumberFormatException();
                }
                return id;
            } catch (NumberFormatException e) {
                throw new MalformedDataException(name, lineNo, CUSTOMER_ID,
                        "'" + text + "' is not an integer customer id");
            }
        }

        private long parseDate(String text, long lineNo) {
            if (form == Format.R_CSV) {
                return parseUsDate(text, lineNo);
            }
            // YYYY-MM-DD HH:MM:SS
            String t = text.trim();
            if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                    || t.charAt(13) != ':' || t.charAt(16) != ':') {
                throw badDate(text, lineNo);
            }
            int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
            int hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2);
            if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
                throw badDate(text, lineNo);
            }
            try {
                LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, second);
                // gap (spring forward): shifted forward; overlap (autumn): earlier offset
                return ZonedDateTime.of(ldt, LONDON).toEpochSecond();
            } catch (DateTimeException e) {
                throw badDate(text, lineNo);
            }
        }

        /** {@code M/D/YYYY H:MM} or {@code M/D/YYYY H:MM:SS} (month and day 1 or 2 digits, hour 1 or 2). */
        private long parseUsDate(String text, long lineNo) {
            String t = text.trim();
            int[] v = new int[6];
            int field = 0, digitsInField = 0;
            char[] expected = {'/', '/', ' ', ':', ':'};
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c >= '0' && c <= '9') {
                    if (++digitsInField > (field == 2 ? 4 : 2)) {
                        throw badDate(text, lineNo);
                    }
                    v[field] = v[field] * 10 + (c - '0');
                } else if (field < expected.length && c == expected[field] && digitsInField > 0
                        && (field != 2 || digitsInField == 4)) {
                    field++;
                    digitsInField = 0;
                } else {
                    throw badDate(text, lineNo);
                }
            }
            if (field < 4 || digitsInField == 0) {
                throw badDate(text, lineNo);
            }
            try {
                LocalDateTime ldt = LocalDateTime.of(v[2], v[0], v[1], v[3], v[4], v[5]);
                return ZonedDateTime.of(ldt, LONDON).toEpochSecond();
            } catch (DateTimeException e) {
                throw badDate(text, lineNo);
            }
        }

        private MalformedDataException badDate(String text, long lineNo) {
            return new MalformedDataException(name, lineNo, INVOICE_DATE, "'" + text + "' is not a date of the form "
                    + (form == Format.R_CSV ? "M/D/YYYY H:MM (R write.csv form)" : "YYYY-MM-DD HH:MM:SS"));
        }

        private int digits(String s, int from, int len) {
            int v = 0;
            for (int i = from; i < from + len; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }
    }

    /** 128-bit hash of a row's fields (two independent 64-bit hashes). */
    private record Hash128(long a, long b) {
        static Hash128 of(List<String> fields) {
            long a = 0x9E3779B97F4A7C15L, b = 0xC2B2AE3D27D4EB4FL;
            for (String s : fields) {
                for (int i = 0, n = s.length(); i < n; i++) {
                    char c = s.charAt(i);
                    a = (a ^ c) * 0x100000001B3L;
                    b = (b + c) * 0xFF51AFD7ED558CCDL;
                    b ^= b >>> 29;
                }
                // field separator that cannot occur inside a field
                a = (a ^ 0x1_0000L) * 0x100000001B3L;
                b = (b + 0x1_0000L) * 0xFF51AFD7ED558CCDL;
                b ^= b >>> 29;
            }
            return new Hash128(CustomerPartition.mix64(a), CustomerPartition.mix64(b));
        }
    }
}
