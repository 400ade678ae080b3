package io.interestfl.simulations.synthetic;

import io.interestfl.simulations.synthetic.SyntheticLogConfig.Partition;
import io.interestfl.simulations.synthetic.SyntheticLogConfig.Preset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Event logs with a known structure, for checking that a model and its defaults win for the right reason
 * on logs nobody tuned on. A seeded generator: the same {@link SyntheticLogConfig} gives the same events and
 * the same file bytes. Items are spread evenly over topics ({@code item % topics}) with a Zipf popularity
 * inside each topic; each user has a home topic (from their region's block under a skewed partition) and
 * a history of {@code meanEvents / 2 .. 3 meanEvents / 2} steps, one event a step, a few hours to days apart.
 *
 * <p>The CSV has a header {@code user,item,timestamp,region,category} (timestamp in epoch seconds) and reads
 * with {@code evaluate --format events} and no other flag.
 */
public final class SyntheticEventLog {
    /** One event: user id, item index, epoch seconds, region index, topic index. */
    public record Event(long user, int item, long seconds, int region, int topic) {
    }

    /** The CSV header the file starts with. */
    public static final String HEADER = "user,item,timestamp,region,category";

    private static final long EPOCH = 1_600_000_000L;
    private static final double FOLLOW = 0.75;                    // markov/drift: follow a successor
    private static final double[] SUCCESSOR_P = {0.6, 0.25, 0.15};
    private static final double REBUY = 0.7;                      // repeat: buy a favourite again
    private static final int FAVOURITES = 6;

    private final SyntheticLogConfig cfg;
    private final double[][] topicCdf;     // per topic: cumulative Zipf weights over its items
    private final int[][] successors;      // per item: SUCCESSOR_P.length successors in its topic

    private SyntheticEventLog(SyntheticLogConfig cfg) {
        this.cfg = cfg.validate();
        this.topicCdf = new double[cfg.topics()][];
        for (int t = 0; t < cfg.topics(); t++) {
            int n = itemsInTopic(t);
            double[] cdf = new double[n];
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += 1.0 / Math.pow(r + 1, 0.8);
                cdf[r] = sum;
            }
            for (int r = 0; r < n; r++) {
                cdf[r] /= sum;
            }
            topicCdf[t] = cdf;
        }
        SplittableRandom chain = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
        this.successors = new int[cfg.items()][];
        for (int i = 0; i < cfg.items(); i++) {
            int[] next = new int[SUCCESSOR_P.length];
            for (int k = 0; k < next.length; k++) {
                int j;
                do {
                    j = popular(i % cfg.topics(), chain);
                } while (j == i || contains(next, k, j));
                next[k] = j;
            }
            successors[i] = next;
        }
    }

    /** All events of the log, ordered by time (then user). */
    public static List<Event> generate(SyntheticLogConfig cfg) {
        return new SyntheticEventLog(cfg).events();
    }

    /**
     * Writes the log as CSV ({@code .gz} names are gzipped), atomically: a crash leaves the old file or none.
     *
     * @return the number of events written
     */
    public static long write(SyntheticLogConfig cfg, Path out) {
        List<Event> events = generate(cfg);
        Path dir = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
            try {
                OutputStream raw = Files.newOutputStream(tmp);
                if (out.getFileName().toString().endsWith(".gz")) {
                    raw = new GZIPOutputStream(raw) {
                        {
                            def.setLevel(6);
                        }
                    };
                }
                try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8))) {
                    w.write(HEADER);
                    w.write('\n');
                    for (Event e : events) {
                        w.write(e.user() + ",i" + e.item() + "," + e.seconds() + ",r" + e.region() + ",t" + e.topic());
                        w.write('\n');
                    }
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return events.size();
    }

    private List<Event> events() {
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        List<Event> out = new ArrayList<>();
        for (int u = 0; u < cfg.users(); u++) {
            int region = rnd.nextInt(cfg.regions());
            int steps = cfg.meanEvents() / 2 + rnd.nextInt(cfg.meanEvents() + 1);
            long t = EPOCH + rnd.nextLong(365L * 86_400);
            int[] items = history(region, steps, rnd);
            for (int item : items) {
                t += 3_600 + (long) (-Math.log(1 - rnd.nextDouble()) * 86_400);
                out.add(new Event(u + 1, item, t, region, item % cfg.topics()));
            }
        }
        out.sort(Comparator.comparingLong(Event::seconds).thenComparingLong(Event::user));
        return out;
    }

    private int[] history(int region, int steps, SplittableRandom rnd) {
        int home = homeTopic(region, rnd);
        int[] items = new int[steps];
        Set<Integer> seen = new HashSet<>();
        switch (cfg.preset()) {
            case MARKOV, DRIFT -> {
                int[] switches = cfg.preset() == Preset.DRIFT
                        ? new int[] {steps / 3 + rnd.nextInt(Math.max(1, steps / 6)), 2 * steps / 3 + rnd.nextInt(Math.max(1, steps / 6))}
                        : new int[0];
                int topic = home;
                for (int s = 0; s < steps; s++) {
                    for (int sw : switches) {
                        if (s == sw) {
                            topic = homeTopic(region, rnd);
                        }
                    }
                    int next = -1;
                    if (s > 0 && rnd.nextDouble() < FOLLOW && items[s - 1] % cfg.topics() == topic) {
                        next = successor(items[s - 1], seen, rnd);
                    }
                    items[s] = next >= 0 ? next : unseen(topic, seen, rnd);
                    seen.add(items[s]);
                }
            }
            case REPEAT -> {
                int[] favourites = new int[FAVOURITES];
                for (int k = 0; k < FAVOURITES; k++) {
                    favourites[k] = unseen(home, seen, rnd);
                    seen.add(favourites[k]);
                }
                for (int s = 0; s < steps; s++) {
                    items[s] = rnd.nextDouble() < REBUY ? favourites[favouriteIndex(rnd)] : popular(home, rnd);
                }
            }
            case RATINGS -> {
                int second = homeTopic(region, rnd);
                for (int s = 0; s < steps; s++) {
                    items[s] = unseen(rnd.nextDouble() < 0.6 ? home : second, seen, rnd);
                    seen.add(items[s]);
                }
            }
            default -> throw new IllegalStateException(cfg.preset().toString());
        }
        return items;
    }

    /** A home topic: from the region's block ({@code topic % regions == region}) with probability SKEW when skewed. */
    private int homeTopic(int region, SplittableRandom rnd) {
        if (cfg.partition() == Partition.SKEWED && rnd.nextDouble() < SyntheticLogConfig.SKEW) {
            int block = (cfg.topics() - region + cfg.regions() - 1) / cfg.regions();   // topics t = region + k * regions
            return region + rnd.nextInt(block) * cfg.regions();
        }
        return rnd.nextInt(cfg.topics());
    }

    private int successor(int item, Set<Integer> seen, SplittableRandom rnd) {
        double x = rnd.nextDouble();
        int k = 0;
        while (k < SUCCESSOR_P.length - 1 && x >= SUCCESSOR_P[k]) {
            x -= SUCCESSOR_P[k];
            k++;
        }
        for (int tries = 0; tries < SUCCESSOR_P.length; tries++) {
            int j = successors[item][(k + tries) % SUCCESSOR_P.length];
            if (!seen.contains(j)) {
                return j;
            }
        }
        return -1;
    }

    /** A popular item of the topic the user has not had yet (any unseen item once the topic is exhausted). */
    private int unseen(int topic, Set<Integer> seen, SplittableRandom rnd) {
        for (int tries = 0; tries < 64; tries++) {
            int j = popular(topic, rnd);
            if (!seen.contains(j)) {
                return j;
            }
        }
        for (int j = 0; j < cfg.items(); j++) {
            int item = (topic + j) % cfg.items();
            if (!seen.contains(item)) {
                return item;
            }
        }
        throw new IllegalStateException("a user has seen the whole catalogue: raise items or lower meanEvents");
    }

    private int popular(int topic, SplittableRandom rnd) {
        double[] cdf = topicCdf[topic];
        int r = java.util.Arrays.binarySearch(cdf, rnd.nextDouble());
        r = r >= 0 ? r : Math.min(-r - 1, cdf.length - 1);
        return topic + r * cfg.topics();
    }

    /** The harmonic number H(FAVOURITES): the total weight of the favourites, summed once. */
    private static final double FAVOURITE_WEIGHTS = harmonic(FAVOURITES);

    private static double harmonic(int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / (k + 1);
        }
        return sum;
    }

    /** Favourite k with probability (1 / (k + 1)) / H(FAVOURITES). */
    private static int favouriteIndex(SplittableRandom rnd) {
        int n = FAVOURITES;
        double x = rnd.nextDouble() * FAVOURITE_WEIGHTS;
        for (int k = 0; k < n - 1; k++) {
            x -= 1.0 / (k + 1);
            if (x < 0) {
                return k;
            }
        }
        return n - 1;
    }

    private int itemsInTopic(int topic) {
        return (cfg.items() - topic + cfg.topics() - 1) / cfg.topics();
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
