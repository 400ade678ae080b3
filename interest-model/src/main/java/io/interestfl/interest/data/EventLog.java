package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Events read by {@link EventLogLoader}, stored column-wise in primitive arrays (user, item index,
 * time in millis, behaviour code, category index, value), with each distinct item and category string
 * stored once. Turn it into per-user basket sequences with {@link #histories(ItemCatalogue, Grouping)}.
 * Immutable once built.
 */
public final class EventLog {

    /**
     * What the loader did with the rows: {@code rowsRead == kept + malformedSkipped + belowMinValue + excludedUsers}.
     */
    public record Report(long rowsRead, long kept, long malformedSkipped, long belowMinValue, long excludedUsers) {
        public String summary() {
            return String.format(Locale.ROOT, "read %,d rows, kept %,d; dropped: %,d malformed, %,d below min-value, "
                    + "%,d other users", rowsRead, kept, malformedSkipped, belowMinValue, excludedUsers);
        }
    }

    /**
     * How events become baskets (steps of a user's sequence): {@code event} (every event its own step),
     * {@code timestamp} (events of a user with the same timestamp form one step; the default), or
     * {@code session:S} (a gap of more than S seconds starts a new step).
     */
    public record Grouping(String kind, long gapSeconds) {
        public static final Grouping EVENT = new Grouping("event", 0);
        public static final Grouping TIMESTAMP = new Grouping("timestamp", 0);

        public Grouping {
            if (!List.of("event", "timestamp", "session").contains(kind)) {
                throw new IllegalArgumentException("grouping must be event, timestamp or session:<seconds>, got " + kind);
            }
            if (gapSeconds < 0) {
                throw new IllegalArgumentException("session gap must be >= 0 seconds, got " + gapSeconds);
            }
        }

        public static Grouping parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.startsWith("session:")) {
                return new Grouping("session", Long.parseLong(t.substring("session:".length())));
            }
            return new Grouping(t, 0);
        }
    }

    private final long[] users;
    private final int[] items;
    private final long[] millis;
    private final byte[] behaviours;   // null when the log has no behaviour column
    private final int[] categories;    // null when the log has no category column
    private final float[] values;      // null when the log has no value column
    private final int size;
    private final List<String> itemCodes;
    private final List<String> categoryNames;
    private final Report report;

    /**
     * The log of {@code size} events held by {@link EventLogBuilder}'s arrays (copied; those of the optional columns
     * may be null), item and category indices into {@code itemCodes} and {@code categoryNames}.
     */
    EventLog(int size, long[] users, int[] items, long[] millis, byte[] behaviours, int[] categories, float[] values,
             List<String> itemCodes, List<String> categoryNames, Report report) {
        this.size = size;
        this.users = Arrays.copyOf(users, size);
        this.items = Arrays.copyOf(items, size);
        this.millis = Arrays.copyOf(millis, size);
        this.behaviours = behaviours == null ? null : Arrays.copyOf(behaviours, size);
        this.categories = categories == null ? null : Arrays.copyOf(categories, size);
        this.values = values == null ? null : Arrays.copyOf(values, size);
        this.itemCodes = List.copyOf(itemCodes);
        this.categoryNames = List.copyOf(categoryNames);
        this.report = report;
    }

    public Report report() {
        return report;
    }

    /** Number of events. */
    public int size() {
        return size;
    }

    public long user(int event) {
        return users[event];
    }

    public String itemCode(int event) {
        return itemCodes.get(items[event]);
    }

    public long epochMillis(int event) {
        return millis[event];
    }

    /** Behaviour of an event ({@link Behaviour#BUY} when the log has no behaviour column). */
    public Behaviour behaviour(int event) {
        return behaviours == null ? Behaviour.BUY : Behaviour.ofCode(behaviours[event]);
    }

    /** Category name of an event, or null when the log has none. */
    public String category(int event) {
        return categories == null ? null : categoryNames.get(categories[event]);
    }

    /** Value (quantity or rating) of an event, NaN when the log has no value column. */
    public float value(int event) {
        return values == null ? Float.NaN : values[event];
    }

    public boolean hasBehaviours() {
        return behaviours != null;
    }

    public boolean hasCategories() {
        return categories != null;
    }

    /** Name of a category id as stored in {@link Basket#category(int)}. */
    public String categoryName(int id) {
        return categoryNames.get(id);
    }

    /** Number of distinct categories. */
    public int categoryCount() {
        return categoryNames.size();
    }

    /**
     * The category of each catalogue item id (the category of its first event in the log; -1 for padding,
     * OOV, items not in the log, or when the log has no category column), for
     * {@link CategoryProfile#forecast}.
     */
    public int[] itemCategories(ItemCatalogue catalogue) {
        int[] out = new int[catalogue.size()];
        Arrays.fill(out, -1);
        if (categories == null) {
            return out;
        }
        for (int i = 0; i < size; i++) {
            int id = catalogue.idOf(itemCodes.get(items[i]));
            if (id >= ItemCatalogue.RESERVED && out[id] < 0) {
                out[id] = categories[i];
            }
        }
        return out;
    }

    /** Distinct item codes, sorted (the catalogue of this log). */
    public List<String> itemCodes() {
        return List.copyOf(new TreeSet<>(itemCodes));
    }

    /** Users, items, events, time span. */
    public DataSummary summary() {
        if (size == 0) {
            return new DataSummary(0, 0, 0, 0, 0);
        }
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        java.util.HashSet<Long> u = new java.util.HashSet<>();
        boolean[] seenItem = new boolean[itemCodes.size()];
        int distinctItems = 0;
        for (int i = 0; i < size; i++) {
            u.add(users[i]);
            if (!seenItem[items[i]]) {
                seenItem[items[i]] = true;
                distinctItems++;
            }
            first = Math.min(first, millis[i]);
            last = Math.max(last, millis[i]);
        }
        return new DataSummary(u.size(), distinctItems, size, Math.floorDiv(first, 1000), Math.floorDiv(last, 1000));
    }

    /**
     * Per-user basket sequences, users sorted by id, events in time order (ties in file order), grouped by
     * {@code grouping}. A basket holds distinct item ids (first occurrence's position and category kept; the
     * strongest behaviour of the item in the basket kept), its time is that of its first event. Behaviour
     * and category arrays are filled when the log has those columns.
     */
    public List<CustomerHistory> histories(ItemCatalogue catalogue, Grouping grouping) {
        Map<Long, int[]> byUser = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < size; i++) {
            counts.merge(users[i], 1, Integer::sum);
        }
        int[] fill = new int[0];
        Map<Long, Integer> pos = new HashMap<>();
        for (int i = 0; i < size; i++) {
            long u = users[i];
            int[] arr = byUser.computeIfAbsent(u, k -> new int[counts.get(k)]);
            int p = pos.merge(u, 1, Integer::sum) - 1;
            arr[p] = i;
        }
        int[] itemIdOfIndex = new int[itemCodes.size()];
        for (int k = 0; k < itemIdOfIndex.length; k++) {
            itemIdOfIndex[k] = catalogue.idOf(itemCodes.get(k));
        }
        Long[] userIds = byUser.keySet().toArray(new Long[0]);
        Arrays.sort(userIds);
        List<CustomerHistory> out = new ArrayList<>(userIds.length);
        for (Long u : userIds) {
            int[] ev = byUser.get(u);
            Integer[] boxed = new Integer[ev.length];
            for (int k = 0; k < ev.length; k++) {
                boxed[k] = ev[k];
            }
            Arrays.sort(boxed, (a, b) -> millis[a] != millis[b] ? Long.compare(millis[a], millis[b]) : Integer.compare(a, b));
            List<Basket> baskets = new ArrayList<>();
            int start = 0;
            for (int k = 1; k <= boxed.length; k++) {
                boolean cut = k == boxed.length || switch (grouping.kind()) {
                    case "event" -> true;
                    case "timestamp" -> millis[boxed[k]] != millis[boxed[k - 1]];
                    default -> millis[boxed[k]] - millis[boxed[k - 1]] > grouping.gapSeconds() * 1000;
                };
                if (cut) {
                    baskets.add(basket(boxed, start, k, itemIdOfIndex));
                    start = k;
                }
            }
            out.add(new CustomerHistory(u, baskets));
        }
        return out;
    }

    private Basket basket(Integer[] ev, int from, int to, int[] itemIdOfIndex) {
        int n = 0;
        int[] ids = new int[to - from];
        byte[] beh = behaviours == null ? null : new byte[to - from];
        int[] cat = categories == null ? null : new int[to - from];
        for (int k = from; k < to; k++) {
            int e = ev[k];
            int id = itemIdOfIndex[items[e]];
            int at = -1;
            for (int j = 0; j < n; j++) {
                if (ids[j] == id) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                ids[n] = id;
                if (beh != null) {
                    beh[n] = behaviours[e];
                }
                if (cat != null) {
                    cat[n] = categories[e];
                }
                n++;
            } else if (beh != null && behaviours[e] > beh[at]) {
                beh[at] = behaviours[e];
            }
        }
        return new Basket(Math.floorDiv(millis[ev[from]], 1000), Arrays.copyOf(ids, n),
                beh == null ? null : Arrays.copyOf(beh, n), cat == null ? null : Arrays.copyOf(cat, n));
    }
}
