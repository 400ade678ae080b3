package io.interestfl.interest.data;

import java.util.List;

/**
 * Where the columns of an {@link EventLogFormat} are in one file: each is given by header name or by 0-based index
 * and resolved once against the header (or, without one, taken as indices); names fields in error messages (header
 * name, else {@code #i} with the 0-based index) and checks each row's field count. Immutable.
 */
final class EventLogColumns {
    /** Field index of each column; -1 for an optional column the format does not have. */
    final int user, item, time, behaviour, category, value;
    private final int fieldCount;   // -1 without a header: rows need the referenced columns only
    private final int needed;       // highest field index referenced
    private final RowReader.Columns names;

    /**
     * Whether the first line is a header: a column the format names (rather than indexes) is among its fields, or,
     * with the timestamp given by index, that field does not parse as a timestamp.
     */
    static boolean looksLikeHeader(EventLogFormat format, List<String> first) {
        for (String c : new String[]{format.user(), format.item(), format.timestamp()}) {
            if (!Digits.only(c) && first.contains(c)) {
                return true;
            }
        }
        if (Digits.only(format.timestamp())) {
            int i = Integer.parseInt(format.timestamp());
            if (i < first.size()) {
                try {
                    format.parseMillis(first.get(i));
                    return false;
                } catch (IllegalArgumentException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Resolves the format's columns against {@code header} (null: the file has none); file is for errors. */
    EventLogColumns(EventLogFormat format, List<String> header, String file) {
        names = new RowReader.Columns(header == null ? null : header.toArray(new String[0]), 0);
        fieldCount = header == null ? -1 : header.size();
        user = column(format.user(), "user", header, file);
        item = column(format.item(), "item", header, file);
        time = column(format.timestamp(), "timestamp", header, file);
        behaviour = format.behaviour() == null ? -1 : column(format.behaviour(), "behaviour", header, file);
        category = format.category() == null ? -1 : column(format.category(), "category", header, file);
        value = format.value() == null ? -1 : column(format.value(), "value", header, file);
        needed = Math.max(Math.max(user, item), Math.max(time, Math.max(behaviour, Math.max(category, value))));
    }

    private static int column(String ref, String role, List<String> header, String file) {
        if (Digits.only(ref)) {
            int i = Integer.parseInt(ref);
            if (header != null && i >= header.size()) {
                throw new MalformedDataException(file, 1, null, role + " column index " + i
                        + " is beyond the header's " + header.size() + " columns " + header);
            }
            return i;
        }
        if (header == null) {
            throw new MalformedDataException(file, 1, null, role + " column '" + ref
                    + "' is given by name but the file has no header (give a 0-based index)");
        }
        int at = header.indexOf(ref);
        if (at < 0) {
            throw new MalformedDataException(file, 1, null, "header lacks the " + role + " column '" + ref
                    + "' (found " + header + ")");
        }
        return at;
    }

    /** How error messages name a field. */
    RowReader.Columns names() {
        return names;
    }

    /** The name of field {@code i} in error messages. */
    String name(int i) {
        return names.name(i);
    }

    /** Requires the header's field count (when there is a header) and every referenced column. */
    void requireFields(RowReader rows, List<String> f, long lineNo) {
        if (fieldCount >= 0) {
            rows.requireFieldCount(f, fieldCount, lineNo, names);
        }
        if (f.size() <= needed) {
            throw new MalformedDataException(rows.name(), lineNo, name(f.size()), "missing (expected at least "
                    + (needed + 1) + " fields but found " + f.size() + ")");
        }
    }
}
