package io.interestfl.interest.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * Streaming loader for generic behaviour logs (CSV or TSV, gzip detected by magic bytes) described by
 * an {@link EventLogFormat}. The file is read line by line; each kept row becomes one compact event in an
 * {@link EventLog} (about 30 bytes, item and category strings stored once), so a multi-gigabyte log never
 * sits in memory as text.
 *
 * <p>Errors: a malformed row (wrong field count, empty user or item, bad timestamp, unknown behaviour
 * label, value not a number, bad quoting) throws {@link MalformedDataException} naming the file, the
 * 1-based line and the column (header name, or {@code #i} with the 0-based index when there is no header);
 * with {@link #skipMalformed} it is counted instead ({@link EventLog.Report#malformedSkipped()}).
 * A user id that is a decimal integer is kept as is; other user ids get ids {@code -1, -2, ...} in order
 * of first appearance.
 */
public final class EventLogLoader {
    private final EventLogFormat format;
    private final boolean skipMalformed;
    private final LongPredicate userFilter;

    private EventLogLoader(EventLogFormat format, boolean skipMalformed, LongPredicate userFilter) {
        this.format = Objects.requireNonNull(format, "format");
        this.skipMalformed = skipMalformed;
        this.userFilter = Objects.requireNonNull(userFilter, "userFilter");
    }

    public static EventLogLoader of(EventLogFormat format) {
        return new EventLogLoader(format, false, id -> true);
    }

    /** Skip and count malformed rows instead of throwing. */
    public EventLogLoader skipMalformed(boolean skip) {
        return new EventLogLoader(format, skip, userFilter);
    }

    /** Keep only users accepted by the predicate (e.g. a {@link CustomerPartition#bucketFilter}). */
    public EventLogLoader userFilter(LongPredicate filter) {
        return new EventLogLoader(format, skipMalformed, filter);
    }

    public EventLog load(Path file) {
        return TextInput.load(file, this::load);
    }

    /** Loads from a stream (not closed); {@code name} appears in error messages. */
    public EventLog load(InputStream in, String name) throws IOException {
        return new Run(name).read(TextInput.open(in));
    }

    private final class Run {
        private final String name;
        private final EventLog.Builder log;
        private CsvLineParser parser;
        private String[] headerNames;
        private int fieldCount = -1;
        private int iUser, iItem, iTime, iBehaviour = -1, iCategory = -1, iValue = -1;
        private long rowsRead, malformed, belowMinValue, excludedUsers;

        Run(String name) {
            this.name = name;
            this.log = new EventLog.Builder(format.behaviour() != null, format.category() != null,
                    format.value() != null);
        }

        EventLog read(BufferedReader reader) throws IOException {
            String line = reader.readLine();
            long lineNo = 1;
            if (line == null) {
                throw new MalformedDataException(name, 1, null, "empty file");
            }
            line = stripCr(line);
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            char sep = format.separator() != 0 ? format.separator() : (line.indexOf('\t') >= 0 ? '\t' : ',');
            parser = new CsvLineParser(sep);
            List<String> first;
            try {
                first = parser.parse(line);
            } catch (CsvLineParser.CsvSyntaxException e) {
                throw new MalformedDataException(name, 1, "#" + e.fieldIndex(), e.getMessage());
            }
            boolean header = switch (format.header()) {
                case PRESENT -> true;
                case ABSENT -> false;
                case AUTO -> looksLikeHeader(first);
            };
            resolveColumns(header ? first : null, first.size());
            if (!header) {
                rowsRead++;
                handle(line, lineNo);
            }
            while ((line = reader.readLine()) != null) {
                lineNo++;
                line = stripCr(line);
                if (line.isEmpty()) {
                    continue;
                }
                rowsRead++;
                handle(line, lineNo);
            }
            return log.build(new EventLog.Report(rowsRead, log.size(), malformed, belowMinValue, excludedUsers));
        }

        private void handle(String line, long lineNo) {
            try {
                row(line, lineNo);
            } catch (MalformedDataException e) {
                if (!skipMalformed) {
                    throw e;
                }
                malformed++;
            }
        }

        private boolean looksLikeHeader(List<String> first) {
            // A header when some named column is among the fields, or the timestamp field does not parse.
            for (String c : new String[]{format.user(), format.item(), format.timestamp()}) {
                if (!EventLogFormat.isIndex(c) && first.contains(c)) {
                    return true;
                }
            }
            if (EventLogFormat.isIndex(format.timestamp())) {
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

        private void resolveColumns(List<String> header, int firstFieldCount) {
            if (header != null) {
                headerNames = header.toArray(new String[0]);
                fieldCount = header.size();
            } else {
                fieldCount = -1;   // no header: every row needs the referenced columns only
            }
            iUser = column(format.user(), "user", header);
            iItem = column(format.item(), "item", header);
            iTime = column(format.timestamp(), "timestamp", header);
            iBehaviour = format.behaviour() == null ? -1 : column(format.behaviour(), "behaviour", header);
            iCategory = format.category() == null ? -1 : column(format.category(), "category", header);
            iValue = format.value() == null ? -1 : column(format.value(), "value", header);
        }

        private int column(String ref, String role, List<String> header) {
            if (EventLogFormat.isIndex(ref)) {
                int i = Integer.parseInt(ref);
                if (header != null && i >= header.size()) {
                    throw new MalformedDataException(name, 1, null, role + " column index " + i
                            + " is beyond the header's " + header.size() + " columns " + header);
                }
                return i;
            }
            if (header == null) {
                throw new MalformedDataException(name, 1, null, role + " column '" + ref
                        + "' is given by name but the file has no header (give a 0-based index)");
            }
            int at = header.indexOf(ref);
            if (at < 0) {
                throw new MalformedDataException(name, 1, null, "header lacks the " + role + " column '" + ref
                        + "' (found " + header + ")");
            }
            return at;
        }

        private String columnName(int i) {
            return headerNames != null && i < headerNames.length ? headerNames[i] : "#" + i;
        }

        private void row(String line, long lineNo) {
            List<String> f;
            try {
                f = parser.parse(line);
            } catch (CsvLineParser.CsvSyntaxException e) {
                throw new MalformedDataException(name, lineNo, columnName(e.fieldIndex()), e.getMessage());
            }
            if (fieldCount >= 0 && f.size() != fieldCount) {
                int at = Math.min(f.size(), fieldCount);
                throw new MalformedDataException(name, lineNo, columnName(at), (f.size() < fieldCount
                        ? "missing" : "unexpected extra field") + " (expected " + fieldCount + " fields but found "
                        + f.size() + ")");
            }
            int needed = Math.max(Math.max(iUser, iItem), Math.max(iTime, Math.max(iBehaviour,
                    Math.max(iCategory, iValue))));
            if (f.size() <= needed) {
                throw new MalformedDataException(name, lineNo, columnName(f.size()), "missing (expected at least "
                        + (needed + 1) + " fields but found " + f.size() + ")");
            }
            String userText = f.get(iUser).trim();
            if (userText.isEmpty()) {
                throw new MalformedDataException(name, lineNo, columnName(iUser), "empty user id");
            }
            String itemText = f.get(iItem).trim();
            if (itemText.isEmpty()) {
                throw new MalformedDataException(name, lineNo, columnName(iItem), "empty item id");
            }
            long millis;
            try {
                millis = format.parseMillis(f.get(iTime));
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException(name, lineNo, columnName(iTime), e.getMessage());
            }
            byte behaviour = -1;
            if (iBehaviour >= 0) {
                try {
                    behaviour = format.mapBehaviour(f.get(iBehaviour)).code();
                } catch (IllegalArgumentException e) {
                    throw new MalformedDataException(name, lineNo, columnName(iBehaviour), e.getMessage());
                }
            }
            float value = Float.NaN;
            if (iValue >= 0) {
                String v = f.get(iValue).trim();
                try {
                    value = Float.parseFloat(v);
                    if (!Float.isFinite(value)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new MalformedDataException(name, lineNo, columnName(iValue), "'" + v + "' is not a number");
                }
            }
            String category = iCategory >= 0 ? f.get(iCategory).trim() : null;
            long user = log.userId(userText);
            if (format.minValue() != null && value < format.minValue()) {
                belowMinValue++;
                return;
            }
            if (!userFilter.test(user)) {
                excludedUsers++;
                return;
            }
            log.add(user, itemText, millis, behaviour, category, value);
        }

        private static String stripCr(String line) {
            return !line.isEmpty() && line.charAt(line.length() - 1) == '\r' ? line.substring(0, line.length() - 1)
                    : line;
        }
    }
}
