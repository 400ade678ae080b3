package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The R {@code write.csv} form: CRLF, every string quoted, row-name column, M/D/YYYY H:MM, NA. */
class OnlineRetailRFormTest {
    static final String R_HEADER = "\"\",\"InvoiceNo\",\"StockCode\",\"Description\",\"Quantity\",\"InvoiceDate\","
            + "\"UnitPrice\",\"CustomerID\",\"Country\"\r\n";

    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        Path p = dir.resolve("retail_sample_r.csv");
        try (InputStream in = getClass().getResourceAsStream("/retail_sample_r.csv")) {
            Files.copy(in, p);
        }
        return p;
    }

    private static long london(int y, int mo, int d, int h, int mi) {
        return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, ZoneId.of("Europe/London")).toEpochSecond();
    }

    @Test
    void detectsAndReadsTheRForm() throws IOException {
        LoadResult r = OnlineRetailLoader.defaults().load(fixture());
        assertEquals(5, r.report().rowsRead());
        assertEquals(4, r.report().kept());
        assertEquals(1, r.report().missingCustomer(), "NA customer");
        List<Purchase> p = r.purchases();
        assertEquals("71053", p.get(1).stockCode());
        assertEquals(london(2010, 12, 1, 8, 26), p.get(0).epochSeconds());
        assertEquals(london(2011, 6, 15, 14, 5), p.get(3).epochSeconds(), "summer time applies");
        assertEquals("France", p.get(3).country());
        DataSummary s = DataSummary.ofPurchases(p);
        assertEquals(2, s.users());
        assertEquals(4, s.items());
        assertEquals(4, s.events());
        assertTrue(s.toString().contains("2 users"), s.toString());
    }

    @Test
    void bothFormsGiveTheSamePurchases() throws IOException {
        String shared = OnlineRetailLoaderTest.HEADER
                + "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n";
        String r = R_HEADER + "\"1\",\"536365\",\"85123A\",\"WHITE HANGING HEART\",6,\"12/1/2010 8:26\",2.55,17850,"
                + "\"United Kingdom\"\r\n";
        Path a = Files.writeString(dir.resolve("a.csv"), shared, StandardCharsets.UTF_8);
        Path b = Files.writeString(dir.resolve("b.csv"), r, StandardCharsets.UTF_8);
        assertEquals(OnlineRetailLoader.defaults().load(a).purchases(),
                OnlineRetailLoader.builder().format(OnlineRetailLoader.Format.R_CSV).build().load(b).purchases());
    }

    @Test
    void aDateInTheOtherFormIsAnErrorNamingLineAndColumn() throws IOException {
        String mixed = R_HEADER
                + "\"1\",\"536365\",\"85123A\",\"X\",6,\"12/1/2010 8:26\",2.55,17850,\"United Kingdom\"\r\n"
                + "\"2\",\"536366\",\"85123A\",\"X\",6,\"2010-12-01 08:28:00\",2.55,17850,\"United Kingdom\"\r\n";
        Path p = Files.writeString(dir.resolve("mixed.csv"), mixed, StandardCharsets.UTF_8);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> OnlineRetailLoader.defaults().load(p));
        assertEquals(3, e.line());
        assertEquals("InvoiceDate", e.column());
        assertTrue(e.getMessage().contains("M/D/YYYY H:MM"), e.getMessage());
        LoadResult skipped = OnlineRetailLoader.builder().skipMalformed(true).build().load(p);
        assertEquals(1, skipped.report().malformedSkipped());
        assertEquals(1, skipped.report().kept());
    }

    @Test
    void theSharedFormForcedOnAnRFileFails() throws IOException {
        Path p = fixture();
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> OnlineRetailLoader.builder().format(OnlineRetailLoader.Format.SHARED).build().load(p));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("YYYY-MM-DD HH:MM:SS"), e.getMessage());
    }

    @Test
    void badUsDatesAreRejected() throws IOException {
        for (String bad : new String[]{"13/1/2010 8:26", "12/1/10 8:26", "12/1/2010", "12-1-2010 8:26", "12/1/2010 8:26:61"}) {
            String s = R_HEADER + "\"1\",\"536365\",\"85123A\",\"X\",6,\"" + bad + "\",2.55,17850,\"United Kingdom\"\r\n";
            Path p = Files.writeString(dir.resolve("bad.csv"), s, StandardCharsets.UTF_8);
            assertThrows(MalformedDataException.class,
                    () -> OnlineRetailLoader.builder().format(OnlineRetailLoader.Format.R_CSV).build().load(p), bad);
        }
        assertEquals(OnlineRetailLoader.Format.R_CSV, OnlineRetailLoader.Format.parse("r-csv"));
        assertThrows(IllegalArgumentException.class, () -> OnlineRetailLoader.Format.parse("excel"));
    }
}
