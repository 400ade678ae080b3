package io.interestfl.client.serving;

import io.interestfl.client.data.CustomerHistory;
import io.interestfl.client.data.ItemCatalogue;
import io.interestfl.client.model.InterestModel;
import io.interestfl.client.policy.ItemSpace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Representations from the DL4J {@link InterestModel}: item vectors are the softmax layer's weight columns
 * (bias = its bias), a customer's vector is the hidden state the model computes from the customer's
 * purchase history. Computed once per model version (call {@link #of} again when a new global model arrives);
 * popularity = purchase counts in the histories (cold start).
 */
public final class InterestModelRepresentations implements RepresentationProvider {
    private final ItemSpace items;
    private final Map<String, float[]> customers;

    private InterestModelRepresentations(ItemSpace items, Map<String, float[]> customers) {
        this.items = items;
        this.customers = customers;
    }

    /**
     * @param categories category per item id, or {@code null} (no diversity constraint possible)
     */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories) {
        float[][] emb = model.itemEmbeddings();
        int c = emb.length - 1;
        float[][] vectors = new float[c][];
        System.arraycopy(emb, 0, vectors, 0, c);
        float[] bias = emb[c];
        double[] popularity = new double[c];
        int[][] flat = new int[histories.size()][];
        for (int u = 0; u < flat.length; u++) {
            flat[u] = histories.get(u).flatItems();
            for (int id : flat[u]) {
                if (id >= ItemCatalogue.RESERVED && id < c) {
                    popularity[id]++;
                }
            }
        }
        float[][] reps = model.customerRepresentation(flat);
        Map<String, float[]> customers = new HashMap<>();
        for (int u = 0; u < flat.length; u++) {
            customers.put(Long.toString(histories.get(u).customerId()), reps[u]);
        }
        return new InterestModelRepresentations(
                new ItemSpace(vectors, bias, categories, popularity, ItemCatalogue.RESERVED), customers);
    }

    @Override
    public ItemSpace items() {
        return items;
    }

    @Override
    public float[] customerVector(String customer) {
        return customers.get(customer);
    }

    public int customerCount() {
        return customers.size();
    }
}
