package io.interestfl.interest.data;

/**
 * A row of an input file could not be parsed. The message names the file, the 1-based line number
 * (the header is line 1) and the column, e.g.
 * {@code online_retail.csv line 17, column Quantity: 'abc' is not an integer}.
 */
public final class MalformedDataException extends RuntimeException {
    private final String file;
    private final long line;
    private final String column;

    public MalformedDataException(String file, long line, String column, String problem) {
        super(file + " line " + line + (column == null ? "" : ", column " + column) + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** File name (without directories). */
    public String file() {
        return file;
    }

    /** 1-based line number; the header is line 1. */
    public long line() {
        return line;
    }

    /** Column name from the header ({@code #9} for a field beyond the header), or {@code null} when the
     * problem concerns the whole file (empty file, bad header). */
    public String column() {
        return column;
    }
}
