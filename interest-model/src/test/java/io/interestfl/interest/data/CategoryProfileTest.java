package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CategoryProfileTest {
    static final long DAY = 86400;

    @Test
    void oldInterestsFadeWithTheHalfLife() {
        // category 0 bought 10 days before now, category 1 bought now; half-life 10 days -> weights 3/2 and 3
        CustomerHistory h = new CustomerHistory(1, List.of(
                new Basket(0, new int[]{2}, null, new int[]{0}),
                new Basket(10 * DAY, new int[]{3}, null, new int[]{1})));
        CategoryProfile p = CategoryProfile.of(h, 2, 10 * DAY, 10);
        assertArrayEquals(new double[]{1.5 / 4.5, 3 / 4.5}, p.shares(), 1e-12);
        assertArrayEquals(new int[]{1, 0}, p.top(5));
        CategoryProfile slow = CategoryProfile.of(h, 2, 10 * DAY, 1e6);
        assertEquals(0.5, slow.shares()[0], 1e-5, "with a very long half-life nothing fades");
        CategoryProfile fast = CategoryProfile.of(h, 2, 10 * DAY, 1);
        assertEquals(1 / 1025.0, fast.shares()[0], 1e-9, "ten half-lives: 2^-10 of the weight");
        assertThrows(IllegalArgumentException.class, () -> CategoryProfile.of(h, 2, 0, 0));
    }

    @Test
    void behavioursWeighAndTheForecastSumsModelMassPerCategory() throws IOException {
        String log = "7,A,c1,pv,100\n7,B,c2,buy,100\n";
        EventLog events = EventLogLoader.of(EventLogFormat.TAOBAO)
                .load(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t.csv");
        ItemCatalogue cat = ItemCatalogue.of(events.itemCodes());
        CustomerHistory h = events.histories(cat, EventLog.Grouping.TIMESTAMP).get(0);
        CategoryProfile p = CategoryProfile.of(h, events.categoryCount(), 100, 30);
        assertArrayEquals(new double[]{0.25, 0.75}, p.shares(), 1e-12, "view 1, buy 3");
        int[] itemCategory = events.itemCategories(cat);
        assertArrayEquals(new int[]{-1, -1, 0, 1}, itemCategory);
        CategoryProfile f = CategoryProfile.forecast(new float[]{0.5f, 0.5f, 0.2f, 0.6f}, itemCategory, 2);
        assertArrayEquals(new double[]{0.25, 0.75}, f.shares(), 1e-6);
    }
}
