package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineRetailLoaderTest {
    static final String HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    static final String OK_ROW = "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n";

    @TempDir
    Path dir;

    static Path fixture(Path dir) throws IOException {
        Path p = dir.resolve("retail_sample.csv");
        try (InputStream in = OnlineRetailLoaderTest.class.getResourceAsStream("/retail_sample.csv")) {
            Files.copy(in, p);
        }
        return p;
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void cleansTheFixtureAndCountsEveryRowOnce() throws IOException {
        LoadResult r = OnlineRetailLoader.defaults().load(fixture(dir));
        LoadReport rep = r.report();
        assertEquals(15, rep.rowsRead());
        assertEquals(7, rep.kept());
        assertEquals(2, rep.cancellations(), "C536379 and A563185");
        assertEquals(3, rep.nonProduct(), "POST, gift_0001_10, DCGSSBOY");
        assertEquals(1, rep.missingCustomer());
        assertEquals(1, rep.nonPositiveQuantity());
        assertEquals(1, rep.duplicates());
        assertEquals(0, rep.malformedSkipped());
        assertEquals(0, rep.otherCountry());
        assertEquals(rep.rowsRead(), rep.kept() + rep.cancellations() + rep.nonProduct() + rep.missingCustomer()
                + rep.nonPositiveQuantity() + rep.duplicates() + rep.malformedSkipped() + rep.otherCountry()
                + rep.excludedByCustomerFilter());
        assertEquals(7, r.purchases().size());
        assertEquals(List.of("85123A", "71053", "84406B", "22728", "22727", "21731", "85123a"),
                r.purchases().stream().map(Purchase::stockCode).toList());
        Purchase first = r.purchases().get(0);
        assertEquals(new Purchase("536365", "85123A", 17850, "United Kingdom", 1291191960L, 6), first);
        assertTrue(rep.summary().contains("kept 7"), rep.summary());
        assertTrue(rep.summary().contains("1 duplicates"), rep.summary());
    }

    @Test
    void switchesReproduceTheSourceMdDefinition() throws IOException {
        LoadResult r = OnlineRetailLoader.builder().dropDuplicates(false).dropNonProduct(false).build()
                .load(fixture(dir));
        // kept = has customer, no C/A invoice, quantity > 0: 7 + POST + gift + DCGS + duplicate
        assertEquals(11, r.report().kept());
        assertEquals(0, r.report().duplicates());
        assertEquals(0, r.report().nonProduct());
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() throws IOException {
        Path plain = fixture(dir);
        Path gz = dir.resolve("looks_plain.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        assertEquals(0x1f, Files.readAllBytes(gz)[0] & 0xff);
        LoadResult a = OnlineRetailLoader.defaults().load(plain);
        LoadResult b = OnlineRetailLoader.defaults().load(gz);
        assertEquals(a, b);
    }

    @Test
    void countryAndCustomerFilters() throws IOException {
        Path p = fixture(dir);
        LoadResult fr = OnlineRetailLoader.builder().countries("France").build().load(p);
        assertEquals(List.of("22728", "22727"), fr.purchases().stream().map(Purchase::stockCode).toList());
        assertEquals(6, fr.report().otherCountry(), "4 UK rows, 1 UK duplicate row, 1 Germany row");
        assertEquals(0, fr.report().duplicates(), "the duplicate row is counted as other country first");

        LoadResult only17850 = OnlineRetailLoader.builder().customerFilter(id -> id == 17850).build().load(p);
        assertEquals(4, only17850.report().kept());
        assertEquals(3, only17850.report().excludedByCustomerFilter());
        assertEquals(1, only17850.report().duplicates());
    }

    @Test
    void datesAreLondonWallClock() throws IOException {
        Path p = write("dates.csv", HEADER
                + "1,85123A,x,1,2010-12-01 08:26:00,1,17850,United Kingdom\n"
                + "2,85123A,x,1,2011-06-01 12:00:00,1,17850,United Kingdom\n");
        List<Purchase> ps = OnlineRetailLoader.defaults().load(p).purchases();
        assertEquals(1291191960L, ps.get(0).epochSeconds(), "GMT in winter");
        assertEquals(1306926000L, ps.get(1).epochSeconds(), "BST (UTC+1) in summer");
    }

    @Test
    void headerColumnsMayBeReorderedAndCrlfAndBomAreAccepted() throws IOException {
        Path p = write("reordered.csv", "\uFEFFCountry,CustomerID,UnitPrice,InvoiceDate,Quantity,Description,StockCode,InvoiceNo\r\n"
                + "France,12583,3.75,2010-12-01 08:45:00,24,\"A, B\",22728,536370\r\n\r\n");
        LoadResult r = OnlineRetailLoader.defaults().load(p);
        assertEquals(List.of(new Purchase("536370", "22728", 12583, "France", 1291193100L, 24)), r.purchases());
    }

    @Test
    void customerIdWithDotZeroIsAccepted() throws IOException {
        Path p = write("dot.csv", HEADER + "1,85123A,x,1,2010-12-01 08:26:00,1,17850.0,United Kingdom\n");
        assertEquals(17850L, OnlineRetailLoader.defaults().load(p).purchases().get(0).customerId());
    }

    @Test
    void malformedRowsNameFileLineAndColumn() throws IOException {
        assertMalformed(HEADER + OK_ROW + "536366,22633,HAND WARMER,abc,2010-12-01 08:28:00,1.85,17850,United Kingdom\n",
                "online_retail.csv line 3, column Quantity: 'abc' is not an integer");
        assertMalformed(HEADER + "536366,22633,HAND WARMER,6,2010-13-01 08:28:00,1.85,17850,United Kingdom\n",
                "online_retail.csv line 2, column InvoiceDate: '2010-13-01 08:28:00' is not a date of the form YYYY-MM-DD HH:MM:SS");
        assertMalformed(HEADER + "536366,22633,HAND WARMER,6,01/12/2010 08:28,1.85,17850,United Kingdom\n",
                "online_retail.csv line 2, column InvoiceDate: '01/12/2010 08:28' is not a date of the form YYYY-MM-DD HH:MM:SS");
        assertMalformed(HEADER + OK_ROW + OK_ROW + "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,178x0,United Kingdom\n",
                "online_retail.csv line 4, column CustomerID: '178x0' is not an integer customer id");
        assertMalformed(HEADER + "536366,22633,\"HAND, WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n",
                "online_retail.csv line 2, column Description: unterminated quoted field");
        assertMalformed(HEADER + "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850\n",
                "online_retail.csv line 2, column Country: missing (expected 8 fields but found 7)");
        assertMalformed(HEADER + "536366,22633,HAND, WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n",
                "online_retail.csv line 2, column #9: unexpected extra field (expected 8 fields but found 9)");
        assertMalformed(HEADER + ",22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n",
                "online_retail.csv line 2, column InvoiceNo: empty invoice number");
    }

    private void assertMalformed(String content, String message) throws IOException {
        Path p = write("online_retail.csv", content);
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> OnlineRetailLoader.defaults().load(p));
        assertEquals(message, e.getMessage());
        assertEquals("online_retail.csv", e.file());
    }

    @Test
    void malformedExceptionExposesParts() throws IOException {
        Path p = write("bad.csv", HEADER + OK_ROW + "1,2,3,x,5,6,7,8\n");
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> OnlineRetailLoader.defaults().load(p));
        assertEquals(3, e.line());
        assertEquals("Quantity", e.column());
    }

    @Test
    void skipMalformedCountsAndContinues() throws IOException {
        Path p = write("mixed.csv", HEADER + OK_ROW
                + "536366,22633,HAND WARMER,abc,2010-12-01 08:28:00,1.85,17850,United Kingdom\n"
                + "536366,22633,\"broken,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n"
                + "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n");
        LoadResult r = OnlineRetailLoader.builder().skipMalformed(true).build().load(p);
        assertEquals(4, r.report().rowsRead());
        assertEquals(2, r.report().malformedSkipped());
        assertEquals(2, r.report().kept());
        assertTrue(r.report().summary().contains("2 malformed"), r.report().summary());
    }

    @Test
    void missingHeaderColumnAndEmptyFileAreErrors() throws IOException {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> OnlineRetailLoader.defaults()
                .load(write("h.csv", "InvoiceNo,StockCode,Quantity\n")));
        assertTrue(e.getMessage().startsWith("h.csv line 1: header lacks column Description"), e.getMessage());
        e = assertThrows(MalformedDataException.class, () -> OnlineRetailLoader.defaults().load(write("e.csv", "")));
        assertEquals("e.csv line 1: empty file, expected a header row", e.getMessage());
    }

    @Test
    void productCodeRule() {
        for (String ok : List.of("85123A", "71053", "15056BL", "85123a", "84029G", "79323LP")) {
            assertTrue(OnlineRetailLoader.isProductCode(ok), ok);
        }
        for (String bad : List.of("POST", "DOT", "M", "m", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK",
                "PADS", "DCGSSBOY", "DCGS0076", "DCGS0066P", "gift_0001_10", "1234", "12345 ", "123456", "12345-A", "")) {
            assertFalse(OnlineRetailLoader.isProductCode(bad), bad);
        }
    }

    @Test
    void countriesSetIsCopied() throws IOException {
        java.util.HashSet<String> s = new java.util.HashSet<>(Set.of("France"));
        OnlineRetailLoader loader = OnlineRetailLoader.builder().countries(s).build();
        s.add("Germany");
        assertEquals(2, loader.load(fixture(dir)).report().kept());
    }
}
