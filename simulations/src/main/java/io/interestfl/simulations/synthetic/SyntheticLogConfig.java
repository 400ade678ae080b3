package io.interestfl.simulations.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a synthetic event log looks like: which structure drives the users' next items, how users spread
 * over regions, and its size. Every field has a default that makes a log of a few hundred users that trains
 * in a minute; {@link #validate()} names every bad field at once.
 *
 * @param preset     the structure (see {@link Preset})
 * @param partition  how users' interests relate to their region (see {@link Partition})
 * @param users      number of users
 * @param items      catalogue size
 * @param topics     number of interest topics (item categories); items are spread evenly over them
 * @param regions    number of regions (the natural clients of a skewed federation)
 * @param meanEvents mean steps per user (each user has between half and one and a half times this many)
 * @param seed       the seed: the same config writes the same bytes
 */
public record SyntheticLogConfig(Preset preset, Partition partition, int users, int items, int topics, int regions,
                                 int meanEvents, long seed) {

    /** The structure that decides a user's next item. */
    public enum Preset {
        /** Each item has a few likely successors (a sparse Markov chain inside its topic); users never repeat an item. */
        MARKOV,
        /** Users mostly rebuy a small personal set of favourites; new items come from their topic by popularity. */
        REPEAT,
        /** Like MARKOV, but each user's topic changes a few times over their history: recent items matter most. */
        DRIFT,
        /** A ratings log (MovieLens-like): each item at most once per user, by popularity within two liked topics. */
        RATINGS;

        public static Preset parse(String s) {
            return SyntheticLogConfig.parse(Preset.class, "preset", s);
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How interests relate to regions. */
    public enum Partition {
        /** A user's region is independent of their interests. */
        IID,
        /** Each region owns a block of topics; 80% of its users take their home topic from that block. */
        SKEWED;

        public static Partition parse(String s) {
            return SyntheticLogConfig.parse(Partition.class, "partition", s);
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Share of a skewed region's users whose home topic comes from the region's own block. */
    public static final double SKEW = 0.8;

    public static SyntheticLogConfig defaults(Preset preset) {
        return new SyntheticLogConfig(preset, Partition.IID, 600, 1_000, 20, 8, 20, 1L);
    }

    public SyntheticLogConfig withPartition(Partition p) {
        return new SyntheticLogConfig(preset, p, users, items, topics, regions, meanEvents, seed);
    }

    public SyntheticLogConfig withSize(int users, int items) {
        return new SyntheticLogConfig(preset, partition, users, items, topics, regions, meanEvents, seed);
    }

    public SyntheticLogConfig withSeed(long seed) {
        return new SyntheticLogConfig(preset, partition, users, items, topics, regions, meanEvents, seed);
    }

    /** Throws one {@link IllegalArgumentException} naming every field out of range. */
    public SyntheticLogConfig validate() {
        List<String> problems = new ArrayList<>();
        if (preset == null) {
            problems.add("preset is required");
        }
        if (partition == null) {
            problems.add("partition is required");
        }
        if (users < 1 || users > 10_000_000) {
            problems.add("users must be in 1..10000000, got " + users);
        }
        if (topics < 1) {
            problems.add("topics must be >= 1, got " + topics);
        }
        if (items < 10 * Math.max(1, topics)) {
            problems.add("items must be >= 10 per topic (" + 10 * Math.max(1, topics) + "), got " + items);
        }
        if (regions < 1 || regions > topics) {
            problems.add("regions must be in 1..topics (" + topics + "), got " + regions);
        }
        if (meanEvents < 4 || meanEvents > 1_000) {
            problems.add("mean events per user must be in 4..1000, got " + meanEvents);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid synthetic log: " + String.join("; ", problems));
        }
        return this;
    }

    /** The constant named {@code s} (any case), or an error listing the choices ("preset must be markov, ..."). */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String s) {
        E[] all = type.getEnumConstants();
        for (E e : all) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : all) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        String choices = names.size() == 2 ? names.get(0) + " or " + names.get(1)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        throw new IllegalArgumentException(what + " must be " + choices + ", got '" + s + "'");
    }
}
