package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates the events of an {@link EventLog} while a file is read ({@link EventLogLoader}): growable primitive
 * arrays, each distinct item code and category name stored once, non-numeric user ids numbered. Not thread-safe.
 */
final class EventLogBuilder {
    private long[] users = new long[1024];
    private int[] items = new int[1024];
    private long[] millis = new long[1024];
    private byte[] behaviours;
    private int[] categories;
    private float[] values;
    private int n;
    private final List<String> itemCodes = new ArrayList<>();
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<String> categoryNames = new ArrayList<>();
    private final Map<String, Integer> categoryIndex = new HashMap<>();
    private final Map<String, Long> namedUsers = new HashMap<>();

    EventLogBuilder(boolean withBehaviours, boolean withCategories, boolean withValues) {
        behaviours = withBehaviours ? new byte[1024] : null;
        categories = withCategories ? new int[1024] : null;
        values = withValues ? new float[1024] : null;
    }

    /** Events so far. */
    int size() {
        return n;
    }

    /** Decimal user ids as is; any other id gets -1, -2, ... by first appearance. */
    long userId(String text) {
        if (Digits.only(text) && text.length() <= 18) {
            return Long.parseLong(text);
        }
        return namedUsers.computeIfAbsent(text, k -> -(long) (namedUsers.size() + 1));
    }

    /** Appends one event; {@code behaviour}, {@code category} and {@code value} are ignored for absent columns. */
    void add(long user, String item, long ms, byte behaviour, String category, float value) {
        if (n == users.length) {
            int cap = n * 2;
            users = Arrays.copyOf(users, cap);
            items = Arrays.copyOf(items, cap);
            millis = Arrays.copyOf(millis, cap);
            if (behaviours != null) {
                behaviours = Arrays.copyOf(behaviours, cap);
            }
            if (categories != null) {
                categories = Arrays.copyOf(categories, cap);
            }
            if (values != null) {
                values = Arrays.copyOf(values, cap);
            }
        }
        users[n] = user;
        items[n] = indexOf(item, itemCodes, itemIndex);
        millis[n] = ms;
        if (behaviours != null) {
            behaviours[n] = behaviour;
        }
        if (categories != null) {
            categories[n] = indexOf(category, categoryNames, categoryIndex);
        }
        if (values != null) {
            values[n] = value;
        }
        n++;
    }

    /** The index of {@code key} in {@code names}, appended on first sight. */
    private static int indexOf(String key, List<String> names, Map<String, Integer> index) {
        Integer i = index.get(key);
        if (i == null) {
            i = names.size();
            names.add(key);
            index.put(key, i);
        }
        return i;
    }

    /** The immutable log of the events so far. */
    EventLog build(EventLog.Report report) {
        return new EventLog(n, users, items, millis, behaviours, categories, values, itemCodes, categoryNames, report);
    }
}
