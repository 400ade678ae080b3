package io.interestfl.interest.data;

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
        RowReader rows = new RowReader(TextInput.open(in), name, skipMalformed);
        String line = RowReader.stripBomAndCr(rows.firstLine("empty file"));
        char sep = format.separator() != 0 ? format.separator() : (line.indexOf('\t') >= 0 ? '\t' : ',');
        CsvLineParser parser = new CsvLineParser(sep);
        List<String> first = rows.fields(parser, line, 1, new RowReader.Columns(null, 0));
        boolean header = switch (format.header()) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> EventLogColumns.looksLikeHeader(format, first);
        };
        Run run = new Run(rows, parser, new EventLogColumns(format, header ? first : null, name));
        if (!header) {
            rows.handle(line, 1, run::row);
        }
        rows.forEachRow(run::row);
        return run.log.build(new EventLog.Report(rows.rowsRead(), run.log.size(), rows.malformedSkipped(),
                run.belowMinValue, run.excludedUsers));
    }

    /** One load: turns well-formed rows into events and counts the rows the filters drop. */
    private final class Run {
        private final RowReader rows;
        private final CsvLineParser parser;
        private final EventLogColumns col;
        private final EventLogBuilder log;
        private long belowMinValue, excludedUsers;

        Run(RowReader rows, CsvLineParser parser, EventLogColumns col) {
            this.rows = rows;
            this.parser = parser;
            this.col = col;
            this.log = new EventLogBuilder(format.behaviour() != null, format.category() != null,
                    format.value() != null);
        }

        private MalformedDataException bad(long lineNo, int field, String problem) {
            return new MalformedDataException(rows.name(), lineNo, col.name(field), problem);
        }

        void row(String line, long lineNo) {
            List<String> f = rows.fields(parser, line, lineNo, col.names());
            col.requireFields(rows, f, lineNo);
            String userText = f.get(col.user).trim();
            if (userText.isEmpty()) {
                throw bad(lineNo, col.user, "empty user id");
            }
            String itemText = f.get(col.item).trim();
            if (itemText.isEmpty()) {
                throw bad(lineNo, col.item, "empty item id");
            }
            long millis;
            try {
                millis = format.parseMillis(f.get(col.time));
            } catch (IllegalArgumentException e) {
                throw bad(lineNo, col.time, e.getMessage());
            }
            byte behaviour = -1;
            if (col.behaviour >= 0) {
                try {
                    behaviour = format.mapBehaviour(f.get(col.behaviour)).code();
                } catch (IllegalArgumentException e) {
                    throw bad(lineNo, col.behaviour, e.getMessage());
                }
            }
            float value = Float.NaN;
            if (col.value >= 0) {
                String v = f.get(col.value).trim();
                try {
                    value = Float.parseFloat(v);
                    if (!Float.isFinite(value)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw bad(lineNo, col.value, "'" + v + "' is not a number");
                }
            }
            String category = col.category >= 0 ? f.get(col.category).trim() : null;
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
    }
}
