package io.interestfl.interest.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;

/**
 * The line loop both loaders share ({@link OnlineRetailLoader}, {@link EventLogLoader}): line numbers (the first
 * line is line 1), a trailing {@code \r} stripped, empty data lines skipped, every data row counted and handed to a
 * {@link Row}; a row that throws {@link MalformedDataException} stops the load or, with skipMalformed, is counted.
 * Field splitting and field-count errors name the file, the line and the column. Not thread-safe: one per load.
 */
final class RowReader {

    /** What a loader does with one data row (CR stripped, not empty); throws MalformedDataException when bad. */
    interface Row {
        void accept(String line, long lineNo);
    }

    /**
     * How error messages name a field: its header name, else {@code #} and its index counted from
     * {@code firstNumber} (the loaders differ: Online Retail counts from 1, event logs from 0).
     */
    record Columns(String[] header, int firstNumber) {
        String name(int field) {
            return header != null && field < header.length ? header[field] : "#" + (field + firstNumber);
        }
    }

    private final BufferedReader reader;
    private final String name;
    private final boolean skipMalformed;
    private long lineNo;
    private long rowsRead;
    private long malformedSkipped;

    RowReader(BufferedReader reader, String name, boolean skipMalformed) {
        this.reader = reader;
        this.name = name;
        this.skipMalformed = skipMalformed;
    }

    /** The file name error messages cite. */
    String name() {
        return name;
    }

    /** The first line as read (BOM and CR kept); an empty file throws with {@code emptyFileProblem} at line 1. */
    String firstLine(String emptyFileProblem) throws IOException {
        String line = reader.readLine();
        lineNo = 1;
        if (line == null) {
            throw new MalformedDataException(name, 1, null, emptyFileProblem);
        }
        return line;
    }

    /** Hands every further non-empty line to {@code row}, through {@link #handle}. */
    void forEachRow(Row row) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            line = stripCr(line);
            if (line.isEmpty()) {
                continue;
            }
            handle(line, lineNo, row);
        }
    }

    /** Counts one data row and hands it to {@code row}; a malformed row is rethrown or, when skipping, counted. */
    void handle(String line, long lineNo, Row row) {
        rowsRead++;
        try {
            row.accept(line, lineNo);
        } catch (MalformedDataException e) {
            if (!skipMalformed) {
                throw e;
            }
            malformedSkipped++;
        }
    }

    /** Data rows handed on so far (header excluded). */
    long rowsRead() {
        return rowsRead;
    }

    /** Malformed rows skipped so far. */
    long malformedSkipped() {
        return malformedSkipped;
    }

    /** Splits a line; a syntax error names the field where it was found. */
    List<String> fields(CsvLineParser parser, String line, long lineNo, Columns columns) {
        try {
            return parser.parse(line);
        } catch (CsvLineParser.CsvSyntaxException e) {
            throw new MalformedDataException(name, lineNo, columns.name(e.fieldIndex()), e.getMessage());
        }
    }

    /** Requires exactly {@code expected} fields, naming the first missing or the first extra one. */
    void requireFieldCount(List<String> fields, int expected, long lineNo, Columns columns) {
        if (fields.size() < expected) {
            throw new MalformedDataException(name, lineNo, columns.name(fields.size()),
                    "missing (expected " + expected + " fields but found " + fields.size() + ")");
        }
        if (fields.size() > expected) {
            throw new MalformedDataException(name, lineNo, columns.name(expected),
                    "unexpected extra field (expected " + expected + " fields but found " + fields.size() + ")");
        }
    }

    /** Drops a leading byte-order mark and a trailing {@code \r}. */
    static String stripBomAndCr(String line) {
        if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        return stripCr(line);
    }

    private static String stripCr(String line) {
        return !line.isEmpty() && line.charAt(line.length() - 1) == '\r' ? line.substring(0, line.length() - 1) : line;
    }
}
