package io.interestfl.interest.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locates the shared Online Retail file for tests: {@code $INTERESTFL_DATA} (the file, or a folder
 * holding {@code online_retail.csv.gz}) if set, else the first ancestor {@code d} of the working directory
 * with {@code d/shared/data/online-retail/online_retail.csv.gz} (the repository's parent in this
 * project's layout). Tests that need it are skipped (not failed) where it is absent. Loads are cached
 * per JVM, keyed by country set.
 */
public final class RealData {
    public static final String RELATIVE = "shared/data/online-retail/online_retail.csv.gz";
    private static final ConcurrentHashMap<Set<String>, LoadResult> CACHE = new ConcurrentHashMap<>();

    private RealData() {
    }

    /** The file, or null if it cannot be found. */
    public static Path find() {
        String env = System.getenv("INTERESTFL_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isDirectory(p)) {
                p = p.resolve("online_retail.csv.gz");
            }
            return Files.isRegularFile(p) ? p : null;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(RELATIVE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The file; skips the calling test when it is absent. */
    public static Path require() {
        Path p = find();
        Assumptions.assumeTrue(p != null, "Online Retail data not found (set INTERESTFL_DATA or place it at ../"
                + RELATIVE + ")");
        return p;
    }

    /** A slice for training tests: the federation-wide catalogue and the slice's last-basket split. */
    public record Slice(ItemCatalogue catalogue, TrainTestSplit split) {
    }

    /** The catalogue of all countries, and the chronological split of {@code countries}' customers. */
    public static Slice slice(Set<String> countries) {
        ItemCatalogue catalogue = ItemCatalogue.fromPurchases(load(Set.of()).purchases());
        return new Slice(catalogue,
                TrainTestSplit.lastBasket(BasketSequences.build(load(countries).purchases(), catalogue)));
    }

    /** Default-cleaned purchases of the given countries (empty = all), cached. */
    public static LoadResult load(Set<String> countries) {
        Path p = require();
        return CACHE.computeIfAbsent(Set.copyOf(countries),
                c -> OnlineRetailLoader.builder().countries(c).build().load(p));
    }
}
