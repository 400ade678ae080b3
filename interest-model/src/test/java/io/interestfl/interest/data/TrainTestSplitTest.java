package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainTestSplitTest {
    @Test
    void lastBasketIsHeldOut() {
        CustomerHistory one = new CustomerHistory(1, List.of(new Basket(1, new int[]{2, 3})));
        CustomerHistory three = new CustomerHistory(2, List.of(
                new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{4, 1}), new Basket(3, new int[]{5, 1, 2})));
        CustomerHistory allOov = new CustomerHistory(3, List.of(
                new Basket(1, new int[]{2}), new Basket(2, new int[]{1})));
        TrainTestSplit s = TrainTestSplit.lastBasket(List.of(one, three, allOov));
        assertEquals(3, s.train().size());
        assertEquals(one, s.train().get(0));
        assertEquals(new CustomerHistory(2, three.baskets().subList(0, 2)), s.train().get(1));
        assertEquals(new CustomerHistory(3, allOov.baskets().subList(0, 1)), s.train().get(2));
        assertEquals(1, s.test().size(), "customer 3's held-out basket has only OOV: no test case");
        HeldOutBasket h = s.test().get(0);
        assertEquals(2, h.customerId());
        assertArrayEquals(new int[]{2, 3, 4, 1}, h.history(), "all earlier items, most recent last, OOV kept");
        assertArrayEquals(new int[]{5, 2}, h.target(), "OOV removed");
        assertArrayEquals(new long[]{1, 1, 2, 2}, h.input().times(), "each item carries its basket's time");
        assertEquals(3, h.input().at(), "predicted at the held-out basket's time");
    }

    @Test
    void emptyInput() {
        TrainTestSplit s = TrainTestSplit.lastBasket(List.of());
        assertEquals(0, s.train().size());
        assertEquals(0, s.test().size());
    }
}
