package io.interestfl.interest.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Leave-last-basket-out split.
 */
public record TrainTestSplit(List<CustomerHistory> train, List<HeldOutBasket> test) {
    public TrainTestSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /**
     * Customers with at least two baskets: the last basket is held out (train keeps the earlier
     * baskets; test gets the full earlier history (with item times and behaviours, predicted at the held-out basket's
     * time: a recommender serving that visit knows when it happens) and the distinct non-OOV, non-padding items of the last
     * basket, and the last training basket as {@link HeldOutBasket#lastBasket()}). If that target would be empty (every item unknown to the catalogue) the basket is still
     * removed from train but produces no test case. Customers with one basket stay in train only.
     * Order follows the input.
     */
    public static TrainTestSplit lastBasket(List<CustomerHistory> customers) {
        List<CustomerHistory> train = new ArrayList<>(customers.size());
        List<HeldOutBasket> test = new ArrayList<>();
        for (CustomerHistory c : customers) {
            int n = c.baskets().size();
            if (n < 2) {
                train.add(c);
                continue;
            }
            train.add(new CustomerHistory(c.customerId(), c.baskets().subList(0, n - 1)));
            Basket last = c.baskets().get(n - 1);
            LinkedHashSet<Integer> target = new LinkedHashSet<>();
            for (int j = 0; j < last.size(); j++) {
                int id = last.item(j);
                if (id >= ItemCatalogue.RESERVED) {
                    target.add(id);
                }
            }
            if (!target.isEmpty()) {
                test.add(new HeldOutBasket(c.customerId(), c.timed(n - 1, last.epochSeconds()),
                        target.stream().mapToInt(Integer::intValue).toArray(), c.baskets().get(n - 2).itemIds()));
            }
        }
        return new TrainTestSplit(train, test);
    }
}
