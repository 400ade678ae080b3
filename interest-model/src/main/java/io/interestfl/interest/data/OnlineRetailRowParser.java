package io.interestfl.interest.data;

import static io.interestfl.interest.data.OnlineRetailLoader.COUNTRY;
import static io.interestfl.interest.data.OnlineRetailLoader.CUSTOMER_ID;
import static io.interestfl.interest.data.OnlineRetailLoader.DESCRIPTION;
import static io.interestfl.interest.data.OnlineRetailLoader.INVOICE_DATE;
import static io.interestfl.interest.data.OnlineRetailLoader.INVOICE_NO;
import static io.interestfl.interest.data.OnlineRetailLoader.QUANTITY;
import static io.interestfl.interest.data.OnlineRetailLoader.STOCK_CODE;
import static io.interestfl.interest.data.OnlineRetailLoader.UNIT_PRICE;

import java.time.DateTimeException;
import java.util.List;

/**
 * Turns the lines of one Online Retail file into typed rows: the header locates the eight columns (by name, in any
 * order, extra columns ignored), then each data line is split and its fields checked (field count, empty InvoiceNo
 * or StockCode, Quantity an integer, InvoiceDate in the file's form, CustomerID an integer or missing). Every problem
 * is a {@link MalformedDataException} naming file, line and column. Not thread-safe: one per load.
 */
final class OnlineRetailRowParser {
    private static final String[] COLUMNS = {INVOICE_NO, STOCK_CODE, DESCRIPTION, QUANTITY, INVOICE_DATE,
            UNIT_PRICE, CUSTOMER_ID, COUNTRY};

    /**
     * One well-formed data row.
     *
     * @param customer the CustomerID, or -1 when it is empty or {@code NA}
     * @param fields   all raw fields of the line (what duplicates are compared by)
     */
    record Parsed(String invoice, String stockCode, int quantity, long epochSeconds, long customer, String country,
                  List<String> fields) {
    }

    private final RowReader rows;
    private final OnlineRetailLoader.Format form;
    private final CsvLineParser parser = new CsvLineParser();
    private final int[] index = new int[COLUMNS.length];
    private final int fieldCount;
    private final RowReader.Columns columns;

    /** Reads the header line (BOM and CR already stripped); {@code form} is SHARED or R_CSV. */
    OnlineRetailRowParser(RowReader rows, String headerLine, OnlineRetailLoader.Format form) {
        this.rows = rows;
        this.form = form;
        List<String> header;
        try {
            header = parser.parse(headerLine);
        } catch (CsvLineParser.CsvSyntaxException e) {
            throw new MalformedDataException(rows.name(), 1, null, "header: " + e.getMessage());
        }
        columns = new RowReader.Columns(header.toArray(new String[0]), 1);
        fieldCount = header.size();
        for (int c = 0; c < COLUMNS.length; c++) {
            int at = header.indexOf(COLUMNS[c]);
            if (at < 0) {
                throw new MalformedDataException(rows.name(), 1, null,
                        "header lacks column " + COLUMNS[c] + " (found " + header + ")");
            }
            index[c] = at;
        }
    }

    /** The typed fields of one data line. */
    Parsed parse(String line, long lineNo) {
        List<String> f = rows.fields(parser, line, lineNo, columns);
        rows.requireFieldCount(f, fieldCount, lineNo, columns);
        String invoice = f.get(index[0]);
        String stockCode = f.get(index[1]);
        String quantityText = f.get(index[3]);
        String dateText = f.get(index[4]);
        String customerText = f.get(index[6]);
        String country = f.get(index[7]);
        if (invoice.isEmpty()) {
            throw new MalformedDataException(rows.name(), lineNo, INVOICE_NO, "empty invoice number");
        }
        if (stockCode.isEmpty()) {
            throw new MalformedDataException(rows.name(), lineNo, STOCK_CODE, "empty stock code");
        }
        int quantity = parseInt(quantityText, lineNo);
        long epoch = parseDate(dateText, lineNo);
        long customer = customerText.isEmpty() || customerText.equals("NA") ? -1
                : parseCustomer(customerText, lineNo);
        return new Parsed(invoice, stockCode, quantity, epoch, customer, country, f);
    }

    private int parseInt(String text, long lineNo) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new MalformedDataException(rows.name(), lineNo, QUANTITY, "'" + text + "' is not an integer");
        }
    }

    /** A non-negative integer; a {@code .0} suffix (some spreadsheet exports) is accepted. */
    private long parseCustomer(String text, long lineNo) {
        String t = text.trim();
        int dot = t.indexOf('.');
        if (dot >= 0) {
            for (int i = dot + 1; i < t.length(); i++) {
                if (t.charAt(i) != '0') {
                    throw badCustomer(text, lineNo);
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
            throw badCustomer(text, lineNo);
        }
    }

    private MalformedDataException badCustomer(String text, long lineNo) {
        return new MalformedDataException(rows.name(), lineNo, CUSTOMER_ID, "'" + text + "' is not an integer customer id");
    }

    private long parseDate(String text, long lineNo) {
        try {
            return OnlineRetailDates.epochSeconds(text, form);
        } catch (DateTimeException e) {
            throw new MalformedDataException(rows.name(), lineNo, INVOICE_DATE, "'" + text
                    + "' is not a date of the form " + OnlineRetailDates.describe(form));
        }
    }
}
