package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ItemCatalogueTest {
    @TempDir
    Path dir;

    @Test
    void idsAreReservedThenSortedCodes() {
        ItemCatalogue c = ItemCatalogue.of(List.of("85123A", "22728", "71053", "22728"));
        assertEquals(5, c.size());
        assertEquals(3, c.productCount());
        assertEquals(List.of("22728", "71053", "85123A"), c.codes());
        assertEquals(2, c.idOf("22728"));
        assertEquals(3, c.idOf("71053"));
        assertEquals(4, c.idOf("85123A"));
        assertEquals(ItemCatalogue.OOV, c.idOf("99999"));
        assertEquals(ItemCatalogue.OOV, c.idOf("85123a"), "codes are case-sensitive");
        assertEquals("<PAD>", c.codeOf(0));
        assertEquals("<OOV>", c.codeOf(1));
        assertEquals("85123A", c.codeOf(4));
        assertThrows(IndexOutOfBoundsException.class, () -> c.codeOf(5));
        assertThrows(IndexOutOfBoundsException.class, () -> c.codeOf(-1));
        assertThrows(UnsupportedOperationException.class, () -> c.codes().add("x"));
    }

    @Test
    void sha256IsOverSortedCodesJoinedByNewline() {
        // printf 'a\nb' | sha256sum
        assertEquals("7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78",
                ItemCatalogue.of(List.of("b", "a")).sha256());
        assertEquals(ItemCatalogue.of(List.of("a", "b")).sha256(), ItemCatalogue.of(List.of("b", "a", "a")).sha256());
        assertNotEquals(ItemCatalogue.of(List.of("a")).sha256(), ItemCatalogue.of(List.of("a", "b")).sha256());
        // empty catalogue: sha256 of the empty string
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ItemCatalogue.of(List.of()).sha256());
    }

    @Test
    void writeAndReadRoundTrip() throws Exception {
        ItemCatalogue c = ItemCatalogue.of(List.of("85123A", "22728", "71053"));
        Path f = dir.resolve("catalogue.txt");
        c.write(f);
        assertEquals("22728\n71053\n85123A\n", Files.readString(f, StandardCharsets.UTF_8));
        ItemCatalogue back = ItemCatalogue.read(f);
        assertEquals(c, back);
        assertEquals(c.sha256(), back.sha256());
    }

    @Test
    void fromPurchasesAndValidation() {
        ItemCatalogue c = ItemCatalogue.fromPurchases(List.of(
                new Purchase("1", "b", 1, "X", 0, 1), new Purchase("1", "a", 1, "X", 0, 1),
                new Purchase("2", "b", 2, "X", 0, 1)));
        assertEquals(List.of("a", "b"), c.codes());
        assertThrows(IllegalArgumentException.class, () -> ItemCatalogue.of(List.of("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> ItemCatalogue.of(List.of("")));
    }
}
