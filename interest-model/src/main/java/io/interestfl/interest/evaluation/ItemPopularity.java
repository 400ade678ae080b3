package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;

import java.util.List;

/**
 * How many training customers interacted with each item (each customer counted once per item), the
 * basis of {@link ListEvaluation#novelty()}.
 *
 * @param customersPerItem u(i), indexed by item id
 * @param customers        U, the number of training customers
 */
public record ItemPopularity(int[] customersPerItem, int customers) {
    public ItemPopularity {
        customersPerItem = customersPerItem.clone();
    }

    public static ItemPopularity of(List<CustomerHistory> train, int catalogueSize) {
        int[] u = new int[catalogueSize];
        int[] lastSeen = new int[catalogueSize];
        java.util.Arrays.fill(lastSeen, -1);
        int c = 0;
        for (CustomerHistory h : train) {
            for (Basket b : h.baskets()) {
                for (int j = 0; j < b.size(); j++) {
                    int id = b.item(j);
                    if (id >= ItemCatalogue.RESERVED && id < catalogueSize && lastSeen[id] != c) {
                        lastSeen[id] = c;
                        u[id]++;
                    }
                }
            }
            c++;
        }
        return new ItemPopularity(u, train.size());
    }

    /** Self-information of recommending item i: {@code -log2((u(i) + 1) / (U + 1))}. */
    public double selfInformation(int item) {
        return -Math.log((customersPerItem[item] + 1.0) / (customers + 1.0)) / Math.log(2);
    }
}
