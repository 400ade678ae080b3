package io.interestfl.simulations.synthetic;

import io.interestfl.interest.data.EventLog;
import io.interestfl.interest.data.EventLogFormat;
import io.interestfl.interest.data.EventLogLoader;
import io.interestfl.simulations.evaluation.ClientData;
import io.interestfl.simulations.evaluation.EvaluationData;
import io.interestfl.simulations.synthetic.SyntheticEventLog.Event;
import io.interestfl.simulations.synthetic.SyntheticLogConfig.Partition;
import io.interestfl.simulations.synthetic.SyntheticLogConfig.Preset;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each preset has the structure it promises, measured with three model-free predictors of a user's last item
 * (hit rate at 10): global popularity, item-to-item co-occurrence of consecutive items, and the user's own history.
 */
class SyntheticEventLogTest {

    private static SyntheticLogConfig cfg(Preset p) {
        return SyntheticLogConfig.defaults(p);
    }

    @Test
    void theSameConfigWritesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        for (String name : List.of("a.csv", "a.csv.gz")) {
            Path one = dir.resolve("1-" + name), two = dir.resolve("2-" + name), three = dir.resolve("3-" + name);
            SyntheticEventLog.write(cfg(Preset.DRIFT).withPartition(Partition.SKEWED), one);
            SyntheticEventLog.write(cfg(Preset.DRIFT).withPartition(Partition.SKEWED), two);
            SyntheticEventLog.write(cfg(Preset.DRIFT).withPartition(Partition.SKEWED).withSeed(2), three);
            assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), name);
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(one), Files.readAllBytes(three)), name);
        }
        try (var files = Files.list(dir)) {
            assertEquals(6, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theFileLoadsAsAnEventLogWithEveryEventAndCategory(@TempDir Path dir) {
        Path f = dir.resolve("log.csv.gz");
        long n = SyntheticEventLog.write(cfg(Preset.MARKOV), f);
        EventLog log = EventLogLoader.of(EventLogFormat.builder().user("user").item("item").timestamp("timestamp")
                .category("category").build()).load(f);
        assertEquals(n, log.size());
        assertEquals(n, log.report().rowsRead());
        assertEquals(20, log.categoryCount());
    }

    @Test
    void aColumnPartitionMakesOneClientPerRegionHoldingThatRegionsUsers(@TempDir Path dir) {
        SyntheticLogConfig c = cfg(Preset.REPEAT).withPartition(Partition.SKEWED);
        Path f = dir.resolve("log.csv");
        SyntheticEventLog.write(c, f);
        EventLogFormat format = EventLogFormat.builder().user("user").item("item").timestamp("timestamp").build();
        EvaluationData d = EvaluationData.events(f, format, false, EventLog.Grouping.TIMESTAMP, "column:region", 10);
        Map<String, Set<Long>> usersOf = new TreeMap<>();
        SyntheticEventLog.generate(c).forEach(e -> usersOf.computeIfAbsent("r" + e.region(), k -> new HashSet<>())
                .add(e.user()));
        assertEquals(8, d.clients().size());
        for (ClientData client : d.clients()) {
            assertEquals(usersOf.get(client.name()).size(), client.customers(), client.name());
        }
        assertEquals("--partition-by column:NAME needs a column name, got 'column: '",
                assertThrows(IllegalArgumentException.class, () -> EvaluationData.events(f, format, false,
                        EventLog.Grouping.TIMESTAMP, "column: ", 10)).getMessage());
    }

    @Test
    void markovLogsRewardCoOccurrenceAndNeverRepeat() {
        Scores s = Scores.of(SyntheticEventLog.generate(cfg(Preset.MARKOV)));
        assertTrue(s.cooccurrence > 2 * s.popularity, s.toString());
        assertTrue(s.ownHistory < 0.01, s.toString());
    }

    @Test
    void repeatLogsRewardOwnHistoryAboveEverythingElse() {
        Scores s = Scores.of(SyntheticEventLog.generate(cfg(Preset.REPEAT)));
        assertTrue(s.ownHistory > 2 * s.popularity, s.toString());
        assertTrue(s.ownHistory > s.cooccurrence, s.toString());
    }

    @Test
    void driftingUsersLastItemFollowsTheirRecentTopicNotTheirFirst() {
        Map<Long, List<Event>> byUser = byUser(SyntheticEventLog.generate(cfg(Preset.DRIFT)));
        int recent = 0, first = 0;
        for (List<Event> h : byUser.values()) {
            int last = h.get(h.size() - 1).topic();
            recent += h.get(h.size() - 2).topic() == last ? 1 : 0;
            first += h.get(0).topic() == last ? 1 : 0;
        }
        assertTrue(recent > 0.9 * byUser.size(), recent + " of " + byUser.size());
        assertTrue(first < 0.6 * byUser.size(), first + " of " + byUser.size());
    }

    @Test
    void ratingsNeverRateAnItemTwice() {
        Set<String> seen = new HashSet<>();
        for (Event e : SyntheticEventLog.generate(cfg(Preset.RATINGS))) {
            assertTrue(seen.add(e.user() + "/" + e.item()), "user " + e.user() + " item " + e.item());
        }
    }

    @Test
    void skewedRegionsHoldTheirOwnTopicsAndIidRegionsDoNot() {
        assertTrue(homeShare(cfg(Preset.MARKOV).withPartition(Partition.SKEWED)) > 0.6);
        assertTrue(homeShare(cfg(Preset.MARKOV)) < 0.25);
    }

    @Test
    void badConfigsNameEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticLogConfig(Preset.MARKOV, Partition.IID, 0, 50, 20, 30, 2, 1).validate());
        assertTrue(e.getMessage().contains("users must be"), e.getMessage());
        assertTrue(e.getMessage().contains("items must be >= 10 per topic (200), got 50"), e.getMessage());
        assertTrue(e.getMessage().contains("regions must be in 1..topics (20), got 30"), e.getMessage());
        assertTrue(e.getMessage().contains("mean events per user must be in 4..1000, got 2"), e.getMessage());
        assertEquals("preset must be markov, repeat, drift or ratings, got 'chain'",
                assertThrows(IllegalArgumentException.class, () -> Preset.parse("chain")).getMessage());
    }

    @Test
    void theCommandWritesTheFileAndReportsItAsJson(@TempDir Path dir) {
        Path f = dir.resolve("x.csv");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new SyntheticLogCommand()).execute("--preset", "repeat", "--partition", "skewed",
                    "--users", "50", "--out", f.toString(), "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        JsonObject j = new JsonObject(buf.toString(StandardCharsets.UTF_8));
        assertEquals("repeat", j.getString("preset"));
        assertEquals("skewed", j.getString("partition"));
        assertEquals(SyntheticEventLog.generate(cfg(Preset.REPEAT).withPartition(Partition.SKEWED).withSize(50, 1000))
                .size(), j.getLong("events"));
        assertTrue(Files.exists(f));
        CommandLine missing = new CommandLine(new SyntheticLogCommand());
        missing.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, missing.execute("--preset", "markov"), "--out is required");
    }

    /** Share of users whose most frequent topic lies in their region's block. */
    private static double homeShare(SyntheticLogConfig c) {
        Map<Long, List<Event>> byUser = byUser(SyntheticEventLog.generate(c));
        int home = 0;
        for (List<Event> h : byUser.values()) {
            Map<Integer, Integer> topics = new HashMap<>();
            h.forEach(e -> topics.merge(e.topic(), 1, Integer::sum));
            int top = topics.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            home += top % c.regions() == h.get(0).region() ? 1 : 0;
        }
        return home / (double) byUser.size();
    }

    private static Map<Long, List<Event>> byUser(List<Event> events) {
        Map<Long, List<Event>> m = new TreeMap<>();
        events.forEach(e -> m.computeIfAbsent(e.user(), k -> new ArrayList<>()).add(e));
        m.values().forEach(h -> h.sort(Comparator.comparingLong(Event::seconds)));
        return m;
    }

    /** Hit rate at 10 of the user's last item for three model-free predictors fitted on everything before it. */
    private record Scores(double popularity, double cooccurrence, double ownHistory) {
        static Scores of(List<Event> events) {
            Map<Long, List<Event>> byUser = byUser(events);
            Map<Integer, Integer> pop = new HashMap<>();
            Map<Integer, Map<Integer, Integer>> next = new HashMap<>();
            for (List<Event> h : byUser.values()) {
                for (int i = 0; i < h.size() - 1; i++) {
                    pop.merge(h.get(i).item(), 1, Integer::sum);
                    if (i > 0) {
                        next.computeIfAbsent(h.get(i - 1).item(), k -> new HashMap<>()).merge(h.get(i).item(), 1,
                                Integer::sum);
                    }
                }
            }
            List<Integer> top = top10(pop, Set.of());
            int hp = 0, hc = 0, ho = 0;
            for (List<Event> h : byUser.values()) {
                int target = h.get(h.size() - 1).item();
                hp += top.contains(target) ? 1 : 0;
                hc += top10(next.getOrDefault(h.get(h.size() - 2).item(), Map.of()), Set.of()).contains(target) ? 1 : 0;
                Map<Integer, Integer> own = new HashMap<>();
                h.subList(0, h.size() - 1).forEach(e -> own.merge(e.item(), 1, Integer::sum));
                ho += top10(own, Set.of()).contains(target) ? 1 : 0;
            }
            double n = byUser.size();
            return new Scores(hp / n, hc / n, ho / n);
        }

        private static List<Integer> top10(Map<Integer, Integer> counts, Set<Integer> exclude) {
            return counts.entrySet().stream().filter(e -> !exclude.contains(e.getKey()))
                    .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(10).map(Map.Entry::getKey).toList();
        }
    }
}
