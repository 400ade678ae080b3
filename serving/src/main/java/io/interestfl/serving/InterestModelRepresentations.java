package io.interestfl.serving;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.TimedHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.serving.policy.ItemSpace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Representations from the DL4J {@link InterestModel}: item vectors are the softmax layer's weight columns
 * (bias = its bias), a customer's vector is the hidden state the model computes from the customer's
 * purchase history (with its times and behaviours). Computed once per model version (call {@link #of} again when a new global model arrives);
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
     * Customer vectors as of the latest basket in {@code histories} (the merchant's "now": ages of past
     * items are measured from there, see {@link #of(InterestModel, List, int[], long)}).
     *
     * @param categories category per item id, or {@code null} (no diversity constraint possible)
     */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories) {
        long now = TimedHistory.UNKNOWN_TIME;
        for (CustomerHistory h : histories) {
            for (Basket b : h.baskets()) {
                now = Math.max(now, b.epochSeconds());
            }
        }
        return of(model, histories, categories, now);
    }

    /**
     * @param categories category per item id, or {@code null} (no diversity constraint possible)
     * @param now        the time the customer vectors are for (epoch seconds; the model reads how long ago
     *                   each past item was), or {@link TimedHistory#UNKNOWN_TIME}
     */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories, long now) {
        float[][] emb = model.itemEmbeddings();
        int c = emb.length - 1;
        float[][] vectors = new float[c][];
        System.arraycopy(emb, 0, vectors, 0, c);
        float[] bias = emb[c];
        double[] popularity = new double[c];
        List<TimedHistory> timed = new ArrayList<>(histories.size());
        for (CustomerHistory h : histories) {
            TimedHistory t = h.timed(h.baskets().size(), now);
            timed.add(t);
            for (int id : t.items()) {
                if (id >= ItemCatalogue.RESERVED && id < c) {
                    popularity[id]++;
                }
            }
        }
        float[][] reps = model.customerRepresentation(timed);
        Map<String, float[]> customers = new HashMap<>();
        for (int u = 0; u < reps.length; u++) {
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
