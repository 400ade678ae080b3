package io.interestfl.interest.data;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to read a generic behaviour log (one event per line, CSV or TSV) with {@link EventLogLoader}.
 *
 * <p>Columns are named by their header name or by a 0-based index written as digits ({@code "3"}).
 * Required: user, item, timestamp. Optional: behaviour type (labels mapped to {@link Behaviour} by
 * {@link Builder#behaviour(String, Behaviour)}; without a mapping the labels must be
 * {@code view|cart|favorite|buy}), category, and a numeric value (quantity or rating; rows below
 * {@link Builder#minValue(double)} are dropped and counted, e.g. MovieLens ratings below 4).
 *
 * <p>Timestamps: {@code seconds} or {@code millis} since the epoch, {@code iso} (ISO-8601 instant,
 * offset date-time, local date-time or date; local values in {@link Builder#zone}), {@code auto} (digits:
 * millis when above 10^11, else seconds; otherwise ISO), or {@code pattern:<DateTimeFormatter pattern>}
 * in the zone (parsed by {@link TimestampFormat}).
 *
 * <p>Presets for the public logs: {@link #TAOBAO} (UserBehavior.csv: {@code user,item,category,behavior,
 * timestamp}, no header, {@code pv/cart/fav/buy}), {@link #RETAILROCKET} (events.csv: {@code timestamp,
 * visitorid,event,itemid,transactionid}, millis, {@code view/addtocart/transaction}) and {@link #MOVIELENS}
 * (ratings.csv: {@code userId,movieId,rating,timestamp}, seconds, rating as the value).
 * A YAML file ({@link #fromYaml}) may start from a preset and override any key ({@link EventLogMapping}).
 */
public final class EventLogFormat {
    /** Header handling: present, absent, or auto (present when the first line's timestamp does not parse). */
    public enum Header { PRESENT, ABSENT, AUTO }

    private final char separator;   // 0 = auto (tab when the first line has one, else comma)
    private final Header header;
    private final String user, item, timestamp, behaviour, category, value;
    private final TimestampFormat timestamps;
    private final Map<String, Behaviour> behaviours;
    private final Double minValue;

    private EventLogFormat(Builder b) {
        List<String> problems = new ArrayList<>();
        if (b.user == null || b.user.isBlank()) {
            problems.add("the user column is required");
        }
        if (b.item == null || b.item.isBlank()) {
            problems.add("the item column is required");
        }
        if (b.timestamp == null || b.timestamp.isBlank()) {
            problems.add("the timestamp column is required");
        }
        TimestampFormat timestamps = TimestampFormat.of(b.timeFormat, b.zone, problems);
        if (!b.behaviours.isEmpty() && b.behaviour == null) {
            problems.add("a behaviour mapping is given but no behaviour column");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid event log format: " + String.join("; ", problems));
        }
        this.separator = b.separator;
        this.header = b.header;
        this.user = b.user.trim();
        this.item = b.item.trim();
        this.timestamp = b.timestamp.trim();
        this.behaviour = blankToNull(b.behaviour);
        this.category = blankToNull(b.category);
        this.value = blankToNull(b.value);
        this.timestamps = timestamps;
        this.behaviours = Collections.unmodifiableMap(new LinkedHashMap<>(b.behaviours));   // keeps the order given
        this.minValue = b.minValue;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Taobao UserBehavior.csv: {@code user,item,category,behavior,timestamp}, no header, epoch seconds. */
    public static final EventLogFormat TAOBAO = builder().separator(',').header(Header.ABSENT)
            .user("0").item("1").category("2").behaviourColumn("3").timestamp("4").timeFormat("seconds")
            .behaviour("pv", Behaviour.VIEW).behaviour("cart", Behaviour.CART).behaviour("fav", Behaviour.FAVORITE)
            .behaviour("buy", Behaviour.BUY).build();

    /** RetailRocket events.csv: {@code timestamp,visitorid,event,itemid,transactionid}, epoch millis. */
    public static final EventLogFormat RETAILROCKET = builder().separator(',').header(Header.PRESENT)
            .user("visitorid").item("itemid").timestamp("timestamp").timeFormat("millis").behaviourColumn("event")
            .behaviour("view", Behaviour.VIEW).behaviour("addtocart", Behaviour.CART)
            .behaviour("transaction", Behaviour.BUY).build();

    /** MovieLens ratings.csv: {@code userId,movieId,rating,timestamp}, epoch seconds, rating as value. */
    public static final EventLogFormat MOVIELENS = builder().separator(',').header(Header.PRESENT)
            .user("userId").item("movieId").timestamp("timestamp").timeFormat("seconds").value("rating").build();

    /** A preset by name: {@code taobao}, {@code retailrocket}, {@code movielens}. */
    public static EventLogFormat preset(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "taobao", "userbehavior" -> TAOBAO;
            case "retailrocket" -> RETAILROCKET;
            case "movielens" -> MOVIELENS;
            default -> throw new IllegalArgumentException("unknown event log preset '" + name
                    + "' (expected taobao, retailrocket or movielens)");
        };
    }

    /** A builder holding this format's settings, to override some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.separator = separator;
        b.header = header;
        b.user = user;
        b.item = item;
        b.timestamp = timestamp;
        b.behaviour = behaviour;
        b.category = category;
        b.value = value;
        b.timeFormat = timestamps.spec();
        b.zone = timestamps.zone();
        b.behaviours.putAll(behaviours);
        b.minValue = minValue;
        return b;
    }

    /** The keys of a mapping YAML file (kebab-case); null keys keep the preset's (or the default) value. */
    public static final class Spec {
        public String preset;
        public String separator;
        public Boolean header;
        public String user;
        public String item;
        public String timestamp;
        public String timestampFormat;
        public String zone;
        public String behaviour;
        public Map<String, String> behaviours;
        public String category;
        public String value;
        public Double minValue;
    }

    /**
     * Reads a mapping file, e.g.
     * <pre>
     * separator: ","        # or "\t" / "tab"
     * header: true
     * user: visitorid
     * item: itemid
     * timestamp: timestamp
     * timestamp-format: millis
     * behaviour: event
     * behaviours: {view: view, addtocart: cart, transaction: buy}
     * </pre>
     * Unknown keys are errors naming the key and line.
     */
    public static EventLogFormat fromYaml(Path file) {
        return EventLogMapping.fromYaml(file);
    }

    /** Applies a spec (as read from YAML or assembled from command-line options). */
    public static EventLogFormat fromSpec(Spec s) {
        return EventLogMapping.fromSpec(s);
    }

    /** {@code ","}, {@code ";"}, {@code "\t"}, {@code "tab"}, {@code "comma"} or {@code "auto"} (returns 0). */
    public static char parseSeparator(String s) {
        return EventLogMapping.parseSeparator(s);
    }

    /** Parses {@code label=kind,label=kind} (e.g. {@code pv=view,fav=favorite}). */
    public static Map<String, Behaviour> parseBehaviourMap(String s) {
        return EventLogMapping.parseBehaviourMap(s);
    }

    public char separator() {
        return separator;
    }

    public Header header() {
        return header;
    }

    public String user() {
        return user;
    }

    public String item() {
        return item;
    }

    public String timestamp() {
        return timestamp;
    }

    /** Behaviour column, or null. */
    public String behaviour() {
        return behaviour;
    }

    /** Category column, or null. */
    public String category() {
        return category;
    }

    /** Value (quantity or rating) column, or null. */
    public String value() {
        return value;
    }

    public String timeFormat() {
        return timestamps.spec();
    }

    public Map<String, Behaviour> behaviours() {
        return behaviours;
    }

    /** Minimum value kept, or null (no value filter). */
    public Double minValue() {
        return minValue;
    }

    /** Maps a behaviour label; throws IllegalArgumentException naming the label when unknown. */
    Behaviour mapBehaviour(String label) {
        if (behaviours.isEmpty()) {
            return Behaviour.parse(label);
        }
        Behaviour b = behaviours.get(label);
        if (b == null) {
            b = behaviours.get(label.trim());
        }
        if (b == null) {
            throw new IllegalArgumentException("unknown behaviour '" + label + "' (mapped: " + behaviours.keySet() + ")");
        }
        return b;
    }

    /** Parses a timestamp to epoch milliseconds; throws IllegalArgumentException with the expected form. */
    long parseMillis(String text) {
        return timestamps.millis(text);
    }

    @Override
    public String toString() {
        return "EventLogFormat[user=" + user + ", item=" + item + ", timestamp=" + timestamp + " (" + timestamps.spec()
                + "), behaviour=" + behaviour + ", category=" + category + ", value=" + value
                + (minValue == null ? "" : " >= " + minValue) + ", header=" + header + ", separator="
                + (separator == 0 ? "auto" : separator == '\t' ? "tab" : String.valueOf(separator)) + "]";
    }

    /** Options for {@link EventLogFormat}; defaults: separator auto, header auto, timestamps auto, UTC. */
    public static final class Builder {
        private char separator = 0;
        private Header header = Header.AUTO;
        private String user, item, timestamp, behaviour, category, value;
        private String timeFormat = "auto";
        private ZoneId zone = ZoneOffset.UTC;
        private final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
        private Double minValue;

        private Builder() {
        }

        /** Field separator; 0 = auto (tab when the first line contains one, else comma). */
        public Builder separator(char c) {
            this.separator = c;
            return this;
        }

        public Builder header(Header h) {
            this.header = Objects.requireNonNull(h, "header");
            return this;
        }

        public Builder user(String column) {
            this.user = column;
            return this;
        }

        public Builder item(String column) {
            this.item = column;
            return this;
        }

        public Builder timestamp(String column) {
            this.timestamp = column;
            return this;
        }

        /** {@code seconds|millis|iso|auto|pattern:<pattern>}. */
        public Builder timeFormat(String f) {
            this.timeFormat = f;
            return this;
        }

        /** Zone of local date-times (ISO without offset, patterns); default UTC. */
        public Builder zone(ZoneId z) {
            this.zone = Objects.requireNonNull(z, "zone");
            return this;
        }

        public Builder behaviourColumn(String column) {
            this.behaviour = column;
            return this;
        }

        /** Maps a raw behaviour label to a behaviour type. */
        public Builder behaviour(String label, Behaviour kind) {
            behaviours.put(label, Objects.requireNonNull(kind, "kind"));
            return this;
        }

        public Builder behaviours(Map<String, Behaviour> map) {
            behaviours.clear();
            behaviours.putAll(map);
            return this;
        }

        public Builder category(String column) {
            this.category = column;
            return this;
        }

        /** Quantity or rating column. */
        public Builder value(String column) {
            this.value = column;
            return this;
        }

        /** Keep only rows whose value is at least this (requires a value column). */
        public Builder minValue(double v) {
            this.minValue = v;
            return this;
        }

        public EventLogFormat build() {
            if (minValue != null && (value == null || value.isBlank())) {
                throw new IllegalArgumentException("invalid event log format: min-value needs a value column");
            }
            return new EventLogFormat(this);
        }
    }
}
