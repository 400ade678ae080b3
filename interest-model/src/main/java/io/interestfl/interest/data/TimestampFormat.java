package io.interestfl.interest.data;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * How an event log writes its timestamps ({@link EventLogFormat}'s {@code timestamp-format}): {@code seconds} or
 * {@code millis} since the epoch, {@code iso} (ISO-8601 instant, offset date-time, local date-time or date),
 * {@code auto} (digits: millis when above 10^11, else seconds; otherwise ISO) or {@code pattern:<DateTimeFormatter
 * pattern>}; local values are in {@link #zone()}. Immutable.
 */
final class TimestampFormat {
    private final String spec;
    private final ZoneId zone;
    private final DateTimeFormatter pattern;   // only for pattern:<p>

    private TimestampFormat(String spec, ZoneId zone, DateTimeFormatter pattern) {
        this.spec = spec;
        this.zone = zone;
        this.pattern = pattern;
    }

    /**
     * The format of {@code spec} ({@code null}: auto; trimmed). A spec that is no known form adds a line to
     * {@code problems} (the format returned is then not to be used).
     */
    static TimestampFormat of(String spec, ZoneId zone, List<String> problems) {
        DateTimeFormatter p = null;
        String tf = spec == null ? "auto" : spec.trim();
        if (tf.startsWith("pattern:")) {
            try {
                p = DateTimeFormatter.ofPattern(tf.substring("pattern:".length()), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                problems.add("bad timestamp pattern '" + tf + "': " + e.getMessage());
            }
        } else if (!List.of("seconds", "millis", "iso", "auto").contains(tf)) {
            problems.add("timestamp format must be seconds, millis, iso, auto or pattern:<pattern>, got '" + tf + "'");
        }
        return new TimestampFormat(tf, zone, p);
    }

    /** The form as written: {@code seconds|millis|iso|auto|pattern:<pattern>}. */
    String spec() {
        return spec;
    }

    /** Zone of local date-times. */
    ZoneId zone() {
        return zone;
    }

    /** Parses a timestamp to epoch milliseconds; throws IllegalArgumentException with the expected form. */
    long millis(String text) {
        String t = text.trim();
        try {
            switch (spec) {
                case "seconds":
                    return Math.multiplyExact(parseLongStrict(t), 1000L);
                case "millis":
                    return parseLongStrict(t);
                case "auto":
                    if (!t.isEmpty() && Digits.only(t)) {
                        long v = parseLongStrict(t);
                        return v > 100_000_000_000L ? v : Math.multiplyExact(v, 1000L);
                    }
                    return parseIso(t);
                case "iso":
                    return parseIso(t);
                default:
                    TemporalAccessor ta = pattern.parse(t);
                    if (ta.isSupported(ChronoField.HOUR_OF_DAY)) {
                        return LocalDateTime.from(ta).atZone(zone).toInstant().toEpochMilli();
                    }
                    return LocalDate.from(ta).atStartOfDay(zone).toInstant().toEpochMilli();
            }
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a timestamp of the form " + spec);
        }
    }

    private static long parseLongStrict(String t) {
        if (t.isEmpty() || !(Digits.only(t) || (t.charAt(0) == '-' && Digits.only(t.substring(1))))) {
            throw new NumberFormatException(t);
        }
        return Long.parseLong(t);
    }

    private long parseIso(String t) {
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e1) {
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant().toEpochMilli();
                } catch (DateTimeParseException e3) {
                    return LocalDate.parse(t).atStartOfDay(zone).toInstant().toEpochMilli();
                }
            }
        }
    }
}
