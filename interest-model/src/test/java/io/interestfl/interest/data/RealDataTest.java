package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks on the shared Online Retail file (skipped when it is absent).
 *
 * <p>SOURCE.md's numbers (397,924 rows, 4,339 customers, 3,665 products, 18,536 baskets) are "has a
 * CustomerID, no cancellation, Quantity &gt; 0" and do NOT remove exact duplicates or non-product codes;
 * {@link #sourceMdNumbersWithDuplicateAndNonProductFiltersOff()} reproduces them exactly. With the default
 * cleaning (duplicates and non-product codes removed too) the numbers are smaller:
 * 5,187 duplicates among those rows (SOURCE.md's 5,268 counts all rows, including rows without a customer
 * and cancellations), 1,554 non-product rows (POST, M, C2, ... among customer rows); 4 customers bought only
 * non-product codes (postage etc.), 6 non-product codes disappear from the catalogue, and 131 invoices held
 * only non-product codes.
 */
class RealDataTest {

    @Test
    void sourceMdNumbersWithDuplicateAndNonProductFiltersOff() {
        Path f = RealData.require();
        LoadResult r = OnlineRetailLoader.builder().dropDuplicates(false).dropNonProduct(false).build().load(f);
        LoadReport rep = r.report();
        assertEquals(541_909, rep.rowsRead());
        assertEquals(397_924, rep.kept());
        assertEquals(9_291, rep.cancellations(), "9,288 C rows + 3 A rows");
        assertEquals(134_694, rep.missingCustomer(), "135,080 empty CustomerID minus those that are cancellations");
        assertEquals(0, rep.nonPositiveQuantity(), "all Quantity<=0 rows are cancellations or lack a customer");
        assertEquals(4_339, r.purchases().stream().mapToLong(Purchase::customerId).distinct().count());
        assertEquals(3_665, ItemCatalogue.fromPurchases(r.purchases()).productCount());
        assertEquals(18_536, r.purchases().stream().map(Purchase::invoice).distinct().count());
    }

    @Test
    void defaultCleaningOfTheWholeFile() {
        LoadResult r = RealData.load(Set.of());
        LoadReport rep = r.report();
        assertEquals(541_909, rep.rowsRead());
        assertEquals(391_183, rep.kept());
        assertEquals(9_291, rep.cancellations());
        assertEquals(134_694, rep.missingCustomer());
        assertEquals(1_554, rep.nonProduct());
        assertEquals(5_187, rep.duplicates());
        assertEquals(0, rep.malformedSkipped());
        ItemCatalogue cat = ItemCatalogue.fromPurchases(r.purchases());
        assertEquals(3_659, cat.productCount());
        assertEquals(3_661, cat.size());
        assertTrue(cat.codes().stream().allMatch(OnlineRetailLoader::isProductCode));
        List<CustomerHistory> hs = BasketSequences.build(r.purchases(), cat);
        assertEquals(4_335, hs.size());
        assertEquals(18_405, hs.stream().mapToInt(h -> h.baskets().size()).sum());
        // every basket is in time order and holds distinct items
        for (CustomerHistory h : hs) {
            for (int i = 1; i < h.baskets().size(); i++) {
                assertTrue(h.baskets().get(i - 1).epochSeconds() <= h.baskets().get(i).epochSeconds());
            }
            for (Basket b : h.baskets()) {
                assertEquals(b.size(), java.util.Arrays.stream(b.itemIds()).distinct().count());
            }
        }
        TrainTestSplit split = TrainTestSplit.lastBasket(hs);
        long multi = hs.stream().filter(h -> h.baskets().size() >= 2).count();
        assertEquals(multi, split.test().size(), "no held-out basket is all-OOV with the full catalogue");
        assertEquals(4_335, split.train().size());
    }

    @Test
    void countrySlicesAreNonIid() {
        LoadResult de = RealData.load(Set.of("Germany", "France"));
        var byCountry = de.purchases().stream().collect(Collectors.groupingBy(Purchase::country,
                Collectors.mapping(Purchase::customerId, Collectors.toSet())));
        assertEquals(94, byCountry.get("Germany").size());
        assertEquals(87, byCountry.get("France").size());
        assertEquals(de.report().rowsRead(), 541_909);
        assertTrue(de.report().otherCountry() > 300_000);
    }

    @Test
    void ukPseudoRegionsPartitionTheUk() {
        Path f = RealData.require();
        int regions = 4;
        long total = 0;
        long customers = 0;
        for (int b = 0; b < regions; b++) {
            LoadResult r = OnlineRetailLoader.builder().countries(Set.of("United Kingdom"))
                    .customerFilter(CustomerPartition.bucketFilter(b, regions)).build().load(f);
            total += r.report().kept();
            long c = r.purchases().stream().mapToLong(Purchase::customerId).distinct().count();
            assertTrue(c > 850 && c < 1110, "region " + b + " has " + c + " customers");
            customers += c;
        }
        LoadResult uk = OnlineRetailLoader.builder().countries(Set.of("United Kingdom")).build().load(f);
        assertEquals(uk.report().kept(), total);
        assertEquals(uk.purchases().stream().mapToLong(Purchase::customerId).distinct().count(), customers);
    }
}
