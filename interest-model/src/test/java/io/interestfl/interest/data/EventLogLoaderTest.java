package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogLoaderTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static EventLog load(EventLogFormat f, String text) throws IOException {
        return EventLogLoader.of(f).load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void taobaoUserBehavior() throws IOException {
        EventLog log = EventLogLoader.of(EventLogFormat.TAOBAO).load(resource("taobao_userbehavior.csv"));
        assertEquals(6, log.size());
        assertEquals(new EventLog.Report(6, 6, 0, 0, 0), log.report());
        assertEquals(Behaviour.CART, log.behaviour(2));
        assertEquals(Behaviour.FAVORITE, log.behaviour(3));
        assertEquals("2520377", log.category(0));
        DataSummary s = log.summary();
        assertEquals(3, s.users());
        assertEquals(3, s.items());
        assertEquals(1511544070L, s.firstEpochSeconds());
        assertEquals(1511700000L, s.lastEpochSeconds());

        ItemCatalogue cat = ItemCatalogue.of(log.itemCodes());
        List<CustomerHistory> h = log.histories(cat, EventLog.Grouping.TIMESTAMP);
        assertEquals(List.of(1L, 2L, 3L), h.stream().map(CustomerHistory::customerId).toList());
        CustomerHistory u1 = h.get(0);
        assertEquals(2, u1.baskets().size(), "two events of user 1 share a timestamp");
        Basket second = u1.baskets().get(1);
        assertArrayEquals(new int[]{cat.idOf("2333346"), cat.idOf("2268318")}, second.itemIds());
        assertEquals(Behaviour.VIEW, second.behaviour(0));
        assertEquals(Behaviour.CART, second.behaviour(1));
        assertEquals("2520771", log.categoryName(second.category(0)));
        assertEquals(3, log.histories(cat, EventLog.Grouping.EVENT).get(0).baskets().size());
        assertEquals(1, log.histories(cat, EventLog.Grouping.parse("session:86400")).get(0).baskets().size());
    }

    @Test
    void retailRocketEventsByPresetAndByYamlAgree() throws IOException {
        Path events = resource("retailrocket_events.csv");
        EventLog a = EventLogLoader.of(EventLogFormat.RETAILROCKET).load(events);
        EventLog b = EventLogLoader.of(EventLogFormat.fromYaml(resource("retailrocket_mapping.yaml"))).load(events);
        assertEquals(5, a.size());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.user(i), b.user(i));
            assertEquals(a.itemCode(i), b.itemCode(i));
            assertEquals(a.epochMillis(i), b.epochMillis(i));
            assertEquals(a.behaviour(i), b.behaviour(i));
        }
        assertEquals(Behaviour.BUY, a.behaviour(3));
        assertEquals(1433222147345L, a.epochMillis(3));
        assertNull(a.category(0));
        ItemCatalogue cat = ItemCatalogue.of(a.itemCodes());
        CustomerHistory visitor = a.histories(cat, EventLog.Grouping.EVENT).get(0);
        assertEquals(257597L, visitor.customerId());
        // time order, not file order: view (…332117), addtocart (…999827), transaction (…147345)
        assertEquals(List.of(Behaviour.VIEW, Behaviour.CART, Behaviour.BUY),
                visitor.baskets().stream().map(x -> x.behaviour(0)).toList());
        CustomerHistory merged = a.histories(cat, EventLog.Grouping.parse("session:3600")).get(0);
        assertEquals(1, merged.baskets().size());
        assertEquals(Behaviour.BUY, merged.baskets().get(0).behaviour(0), "strongest behaviour kept");
    }

    @Test
    void movieLensRatingsWithMinimumRating() throws IOException {
        Path p = resource("movielens_ratings.csv");
        EventLog all = EventLogLoader.of(EventLogFormat.MOVIELENS).load(p);
        assertEquals(5, all.size());
        assertEquals(3.5f, all.value(2));
        assertEquals(964982703000L, all.epochMillis(0));
        EventLog liked = EventLogLoader.of(EventLogFormat.MOVIELENS.toBuilder().minValue(4.0).build()).load(p);
        assertEquals(new EventLog.Report(5, 4, 0, 1, 0), liked.report());
        ItemCatalogue cat = ItemCatalogue.of(liked.itemCodes());
        List<CustomerHistory> h = liked.histories(cat, EventLog.Grouping.TIMESTAMP);
        assertEquals(2, h.get(0).baskets().size());
        assertNull(h.get(0).baskets().get(0).behaviours(), "no behaviour column: all treated as buy");
        assertEquals(Behaviour.BUY, h.get(0).baskets().get(0).behaviour(0));
    }

    @Test
    void genericTsvWithIsoTimestampsPatternsAndNamedUsers() throws IOException {
        EventLogFormat f = EventLogFormat.builder().user("who").item("what").timestamp("when").timeFormat("iso")
                .behaviourColumn("kind").build();
        EventLog log = load(f, "who\twhat\twhen\tkind\nalice\tA\t2024-03-01T10:00:00Z\tbuy\n"
                + "bob\tB\t2024-03-01 11:00:00\tview\nalice\tC\t2024-03-02\tcart\n");
        assertEquals(-1L, log.user(0));
        assertEquals(-2L, log.user(1));
        assertEquals(-1L, log.user(2));
        assertEquals(1709287200000L, log.epochMillis(0));
        assertEquals(1709290800000L, log.epochMillis(1));
        assertEquals(1709337600000L, log.epochMillis(2));
        EventLogFormat pattern = EventLogFormat.builder().user("0").item("1").timestamp("2")
                .timeFormat("pattern:dd.MM.yyyy HH:mm").header(EventLogFormat.Header.ABSENT).build();
        assertEquals(1709287200000L, load(pattern, "7;X;01.03.2024 10:00".replace(';', ',')).epochMillis(0));
        EventLogFormat auto = EventLogFormat.builder().user("0").item("1").timestamp("2").build();
        EventLog a = load(auto, "u,i,t\n7,X,1709287200\n7,Y,1709287200123\n");
        assertEquals(2, a.size(), "header detected because 't' is not a timestamp");
        assertEquals(1709287200000L, a.epochMillis(0));
        assertEquals(1709287200123L, a.epochMillis(1));
    }

    @Test
    void gzipIsDetectedByMagicBytes() throws IOException {
        Path gz = dir.resolve("events.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("1,10,5,pv,1511544070\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(1, EventLogLoader.of(EventLogFormat.TAOBAO).load(gz).size());
    }

    @Test
    void everyKindOfBadRowNamesFileLineAndColumn() throws IOException {
        String head = "timestamp,visitorid,event,itemid,transactionid\n";
        String ok = "1433221332117,257597,view,355908,\n";
        String[][] cases = {
                {"1433221332117,257597,view,355908\n", "transactionid", "missing"},
                {"1433221332117,257597,view,355908,,9\n", "#5", "extra"},
                {"yesterday,257597,view,355908,\n", "timestamp", "not a timestamp"},
                {"1433221332117,,view,355908,\n", "visitorid", "empty user"},
                {"1433221332117,257597,view,,\n", "itemid", "empty item"},
                {"1433221332117,257597,click,355908,\n", "event", "unknown behaviour 'click'"},
                {"1433221332117,257597,\"view,355908,\n", "event", "unterminated"},
        };
        for (String[] c : cases) {
            MalformedDataException e = assertThrows(MalformedDataException.class,
                    () -> load(EventLogFormat.RETAILROCKET, head + ok + c[0]), c[0]);
            assertEquals("t.csv", e.file());
            assertEquals(3, e.line(), c[0]);
            assertEquals(c[1], e.column(), e.getMessage());
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
            EventLog skipped = EventLogLoader.of(EventLogFormat.RETAILROCKET).skipMalformed(true)
                    .load(new ByteArrayInputStream((head + ok + c[0] + ok).getBytes(StandardCharsets.UTF_8)), "t.csv");
            assertEquals(new EventLog.Report(3, 2, 1, 0, 0), skipped.report(), c[0]);
        }
        MalformedDataException v = assertThrows(MalformedDataException.class,
                () -> load(EventLogFormat.MOVIELENS, "userId,movieId,rating,timestamp\n1,1,five,964982703\n"));
        assertEquals("rating", v.column());
        MalformedDataException noHeader = assertThrows(MalformedDataException.class,
                () -> load(EventLogFormat.TAOBAO, "1,2268318,2520377,pv\n"));
        assertEquals("#4", noHeader.column());
        MalformedDataException missingColumn = assertThrows(MalformedDataException.class,
                () -> load(EventLogFormat.MOVIELENS, "user,movie,rating,timestamp\n1,1,4,964982703\n"));
        assertEquals(1, missingColumn.line());
        assertTrue(missingColumn.getMessage().contains("userId"), missingColumn.getMessage());
    }

    @Test
    void userFilterAndMappingValidation() throws IOException {
        EventLog only2 = EventLogLoader.of(EventLogFormat.TAOBAO).userFilter(u -> u == 2)
                .load(resource("taobao_userbehavior.csv"));
        assertEquals(new EventLog.Report(6, 2, 0, 0, 4), only2.report());
        assertThrows(IllegalArgumentException.class, () -> EventLogFormat.builder().user("u").item("i").build());
        assertThrows(IllegalArgumentException.class,
                () -> EventLogFormat.builder().user("u").item("i").timestamp("t").timeFormat("weeks").build());
        assertEquals(Behaviour.FAVORITE, EventLogFormat.parseBehaviourMap("pv=view,fav=favourite").get("fav"));
        assertEquals('\t', EventLogFormat.parseSeparator("tab"));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "user: u\nitem: i\ntimestamp: t\ncolour: red\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLogFormat.fromYaml(bad));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }
}
