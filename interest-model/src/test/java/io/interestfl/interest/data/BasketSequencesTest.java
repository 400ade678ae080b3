package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BasketSequencesTest {
    static final ItemCatalogue CAT = ItemCatalogue.of(List.of("10000", "20000", "30000", "40000")); // ids 2..5

    static Purchase p(String invoice, String code, long customer, long t) {
        return new Purchase(invoice, code, customer, "X", t, 1);
    }

    @Test
    void groupsByCustomerAndInvoiceInTimeOrder() {
        List<Purchase> ps = List.of(
                p("900", "30000", 7, 200),
                p("900", "10000", 7, 200),
                p("900", "30000", 7, 200),      // repeat within basket: dropped
                p("100", "20000", 5, 50),
                p("800", "40000", 7, 100),      // earlier time than invoice 900
                p("901", "99999", 7, 200),      // same time as 900, higher invoice -> after it; OOV
                p("899", "20000", 7, 200));     // same time, lower invoice -> before 900
        List<CustomerHistory> hs = BasketSequences.build(ps, CAT);
        assertEquals(2, hs.size());
        assertEquals(5, hs.get(0).customerId(), "sorted by customer id");
        assertEquals(List.of(new Basket(50, new int[]{3})), hs.get(0).baskets());
        CustomerHistory c7 = hs.get(1);
        assertEquals(7, c7.customerId());
        assertEquals(List.of(
                new Basket(100, new int[]{5}),
                new Basket(200, new int[]{3}),
                new Basket(200, new int[]{4, 2}),     // file order, repeat removed
                new Basket(200, new int[]{ItemCatalogue.OOV})), c7.baskets());
        assertArrayEquals(new int[]{5, 3, 4, 2, 1}, c7.flatItems());
        assertArrayEquals(new int[]{5, 3}, c7.flatItems(2));
    }

    @Test
    void invoiceTieBreakIsNumericWhenPossible() {
        assertEquals(-1, Integer.signum(BasketSequences.compareInvoices("99", "100")));
        assertEquals(1, Integer.signum(BasketSequences.compareInvoices("X99", "X100")), "non-numeric: string order");
        assertEquals(0, BasketSequences.compareInvoices("5", "5"));
    }

    @Test
    void basketIsImmutable() {
        int[] items = {2, 3};
        Basket b = new Basket(1, items);
        items[0] = 9;
        assertArrayEquals(new int[]{2, 3}, b.itemIds());
        b.itemIds()[0] = 9;
        assertEquals(2, b.item(0));
    }
}
