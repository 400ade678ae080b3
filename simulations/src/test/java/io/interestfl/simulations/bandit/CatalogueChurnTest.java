package io.interestfl.simulations.bandit;

import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.data.Purchase;
import io.interestfl.simulations.demo.DataLocation;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogueChurnTest {

    private static Purchase sale(String item, int quantity, int year, int month, int day) {
        long t = LocalDateTime.of(year, month, day, 12, 0).toEpochSecond(ZoneOffset.UTC);
        return new Purchase("1", item, 1, "United Kingdom", t, quantity);
    }

    /**
     * January sells A and B (the first month: no history); February A and C (C new: 1/2, 3 of 4 units); March A, B, C
     * and D on the 31st (D new: 1/4); April D only, the log ending on the 10th (partial).
     */
    @Test
    void theShareOfProductsSoldForTheFirstTimePerMonth() {
        List<Purchase> log = new ArrayList<>(List.of(
                sale("A", 1, 2011, 1, 3), sale("B", 2, 2011, 1, 20),
                sale("A", 1, 2011, 2, 1), sale("C", 3, 2011, 2, 28),
                sale("A", 1, 2011, 3, 2), sale("B", 1, 2011, 3, 5), sale("C", 1, 2011, 3, 9), sale("D", 1, 2011, 3, 31),
                sale("D", 5, 2011, 4, 10)));
        java.util.Collections.reverse(log);   // the order of the log does not matter
        CatalogueChurn.Report r = CatalogueChurn.monthly(log, ZoneOffset.UTC);
        assertEquals(4, r.months().size());
        CatalogueChurn.Month jan = r.months().get(0), feb = r.months().get(1), mar = r.months().get(2),
                apr = r.months().get(3);
        assertEquals(YearMonth.of(2011, 1), jan.month());
        assertEquals(2, jan.newProducts());
        assertFalse(jan.complete(), "the first month has no history");
        assertEquals(0.5, feb.newShare(), 0);
        assertEquals(0.75, feb.newUnitsShare(), 1e-12);
        assertTrue(feb.complete());
        assertEquals(4, mar.products());
        assertEquals(0.25, mar.newShare(), 0);
        assertEquals(0.25, mar.newUnitsShare(), 1e-12);
        assertEquals(0, apr.newShare(), 0);
        assertFalse(apr.complete(), "the log ends on April 10th");
        assertEquals(2, r.completeMonths());
        assertEquals(0.375, r.medianNewShare(), 1e-12);
        assertEquals(0.375, r.meanNewShare(), 1e-12);

        // ending on the month's last day, April is complete: median of 0.5, 0.25, 0 is 0.25
        log.add(sale("A", 1, 2011, 4, 30));
        CatalogueChurn.Report full = CatalogueChurn.monthly(log, ZoneOffset.UTC);
        assertTrue(full.months().get(3).complete());
        assertEquals(0.25, full.medianNewShare(), 1e-12);
        assertEquals(0.25, full.meanNewShare(), 1e-12);
    }

    /** The real log: about 5% new products a month (what {@code --item-churn 0.05} stands for), 11 complete months. */
    @Test
    void onlineRetailRenewsAboutOneProductInTwentyEachMonth() {
        CatalogueChurn.Report r = CatalogueChurn.monthly(
                OnlineRetailLoader.defaults().load(DataLocation.onlineRetail()).purchases(), ZoneId.of("Europe/London"));
        assertEquals(13, r.months().size(), "December 2010 to December 2011");
        assertEquals(11, r.completeMonths(), "the first month and the partial December 2011 left out");
        assertTrue(r.medianNewShare() > 0.03 && r.medianNewShare() < 0.07, "median " + r.medianNewShare());
    }

    /** A month after one without sales holds two months' new products: not counted. */
    @Test
    void aMonthAfterAGapIsNotComplete() {
        List<Purchase> log = List.of(sale("A", 1, 2011, 1, 3), sale("A", 1, 2011, 2, 3), sale("B", 1, 2011, 4, 3),
                sale("A", 1, 2011, 5, 31));
        CatalogueChurn.Report r = CatalogueChurn.monthly(log, ZoneOffset.UTC);
        assertEquals(List.of(false, true, false, true), r.months().stream().map(CatalogueChurn.Month::complete).toList());
        assertEquals(0, r.medianNewShare(), 0, "February and May: nothing new");
    }

    @Test
    void anEmptyLogHasNoMonths() {
        CatalogueChurn.Report r = CatalogueChurn.monthly(List.of(), ZoneOffset.UTC);
        assertTrue(r.months().isEmpty());
        assertTrue(Double.isNaN(r.medianNewShare()));
    }
}
