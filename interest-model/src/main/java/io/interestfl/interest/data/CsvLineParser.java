package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written RFC 4180 field splitter for one physical line (no line breaks inside fields).
 * Comma separator by default (any single character, e.g. tab, with {@link #CsvLineParser(char)}); a field is either unquoted (no {@code "} allowed inside) or fully quoted, in which
 * case commas are literal and {@code ""} is one quote character. Empty fields are allowed.
 * Not thread-safe (reuses a buffer).
 */
final class CsvLineParser {

    /** A syntax error; {@link #fieldIndex()} is the 0-based field where it was found. */
    static final class CsvSyntaxException extends Exception {
        private final int fieldIndex;

        CsvSyntaxException(int fieldIndex, String message) {
            super(message, null, false, false);
            this.fieldIndex = fieldIndex;
        }

        int fieldIndex() {
            return fieldIndex;
        }
    }

    private final StringBuilder sb = new StringBuilder(128);
    private final char separator;

    CsvLineParser() {
        this(',');
    }

    CsvLineParser(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("invalid separator " + (int) separator);
        }
        this.separator = separator;
    }

    List<String> parse(String line) throws CsvSyntaxException {
        List<String> out = new ArrayList<>(10);
        int n = line.length();
        int i = 0;
        while (true) {
            int field = out.size();
            if (i < n && line.charAt(i) == '"') {
                sb.setLength(0);
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                        } else {
                            i++;
                            closed = true;
                            break;
                        }
                    } else {
                        sb.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw new CsvSyntaxException(field, "unterminated quoted field");
                }
                out.add(sb.toString());
                if (i == n) {
                    return out;
                }
                if (line.charAt(i) != separator) {
                    throw new CsvSyntaxException(field,
                            "unexpected character '" + line.charAt(i) + "' after closing quote");
                }
                i++;
            } else {
                int start = i;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == separator) {
                        break;
                    }
                    if (c == '"') {
                        throw new CsvSyntaxException(field, "quote inside an unquoted field");
                    }
                    i++;
                }
                out.add(line.substring(start, i));
                if (i == n) {
                    return out;
                }
                i++; // skip comma
            }
        }
    }
}
