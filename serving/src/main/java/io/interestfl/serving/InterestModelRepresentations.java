package io.interestfl.serving;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.TimedHistory;
import io.interestfl.interest.evaluation.RepeatExploreScorer;
import io.interestfl.interest.evaluation.RepeatRate;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.RepeatHead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Representations from the DL4J {@link InterestModel}: item vectors are the softmax layer's weight columns
 * (bias = its bias), a customer's vector is the hidden state the model computes from the customer's
 * purchase history (with its times and behaviours). Computed once per model version (call {@link #of} again when a new global model arrives);
 * popularity = purchase counts in the histories (cold start).
 *
 * <p>With the repeat/explore head on, each customer also gets a {@link RepeatHead}: their items by how often they had
 * them and their repeat probability ({@link RepeatExploreScorer#gate}: their own repeat rate shrunk towards this
 * merchant's, prior {@link RepeatExploreScorer#DEFAULT_PRIOR} items), the head the evaluation scores the model with.
 */
public final class InterestModelRepresentations implements RepresentationProvider {
    private final ItemSpace items;
    private final Map<String, float[]> customers;
    private final Map<String, RepeatHead> heads;
    private final double populationRepeatRate;
    private final Map<String, CustomerHistory> histories;
    private final List<String> byActivity;
    private volatile java.util.function.IntFunction<String> codes = id -> null;

    private InterestModelRepresentations(ItemSpace items, Map<String, float[]> customers, Map<String, RepeatHead> heads,
                                         double populationRepeatRate, List<CustomerHistory> histories) {
        this.histories = new HashMap<>();
        List<CustomerHistory> sorted = new ArrayList<>(histories);
        sorted.sort((a, b) -> Integer.compare(b.baskets().size(), a.baskets().size()));
        this.byActivity = new ArrayList<>();
        for (CustomerHistory h : sorted) {
            String key = Long.toString(h.customerId());
            this.histories.put(key, h);
            byActivity.add(key);
        }
        this.items = items;
        this.customers = customers;
        this.heads = heads;
        this.populationRepeatRate = populationRepeatRate;
    }

    /**
     * Customer vectors as of the latest basket in {@code histories} (the merchant's "now": ages of past
     * items are measured from there, see {@link #of(InterestModel, List, int[], long)}).
     *
     * @param categories category per item id, or {@code null} (no diversity constraint possible)
     */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories) {
        return of(model, histories, categories, true);
    }

    /** As {@link #of(InterestModel, List, int[])}, with the repeat/explore head on or off. */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories, boolean repeatHead) {
        long now = TimedHistory.UNKNOWN_TIME;
        for (CustomerHistory h : histories) {
            for (Basket b : h.baskets()) {
                now = Math.max(now, b.epochSeconds());
            }
        }
        return of(model, histories, categories, now, repeatHead);
    }

    /**
     * @param categories category per item id, or {@code null} (no diversity constraint possible)
     * @param now        the time the customer vectors are for (epoch seconds; the model reads how long ago
     *                   each past item was), or {@link TimedHistory#UNKNOWN_TIME}
     * @param repeatHead whether each customer gets a {@link RepeatHead}
     */
    public static InterestModelRepresentations of(InterestModel model, List<CustomerHistory> histories,
                                                  int[] categories, long now, boolean repeatHead) {
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
        Map<String, RepeatHead> heads = new HashMap<>();
        double rate = RepeatRate.of(histories).rate(0);
        for (int u = 0; u < reps.length; u++) {
            String key = Long.toString(histories.get(u).customerId());
            customers.put(key, reps[u]);
            if (repeatHead) {
                heads.put(key, head(timed.get(u), rate, c));
            }
        }
        return new InterestModelRepresentations(
                new ItemSpace(vectors, bias, categories, popularity, ItemCatalogue.RESERVED), customers, heads, rate,
                histories);
    }

    private static RepeatHead head(TimedHistory history, double populationRate, int catalogue) {
        Map<Integer, Double> counts = new java.util.LinkedHashMap<>();
        for (int id : history.items()) {
            if (id >= ItemCatalogue.RESERVED && id < catalogue) {
                counts.merge(id, 1.0, Double::sum);
            }
        }
        int[] ids = new int[counts.size()];
        double[] w = new double[counts.size()];
        int k = 0;
        for (Map.Entry<Integer, Double> e : counts.entrySet()) {
            ids[k] = e.getKey();
            w[k++] = e.getValue();
        }
        double g = RepeatExploreScorer.gate(history, populationRate, RepeatExploreScorer.DEFAULT_PRIOR, 1);
        return new RepeatHead(ids, w, g);
    }

    @Override
    public ItemSpace items() {
        return items;
    }

    @Override
    public float[] customerVector(String customer) {
        return customers.get(customer);
    }

    @Override
    public RepeatHead repeatHead(String customer) {
        return heads.get(customer);
    }

    /** The share of this merchant's customers' later items that they had before (the head's population rate). */
    public double populationRepeatRate() {
        return populationRepeatRate;
    }

    /** Labels items with the catalogue's product codes (console, recommendation answers); returns this. */
    public InterestModelRepresentations withCodes(java.util.function.IntFunction<String> codeOf) {
        this.codes = java.util.Objects.requireNonNull(codeOf, "codeOf");
        return this;
    }

    @Override
    public String itemCode(int item) {
        return item >= 0 && item < items.size() ? codes.apply(item) : null;
    }

    @Override
    public List<String> customers() {
        return java.util.Collections.unmodifiableList(byActivity);
    }

    /**
     * The customer's baskets over time (the last 30), how often they bought each item (top 10) and each category
     * (from the baskets' categories, when the log has them), and their repeat probability.
     */
    @Override
    public io.vertx.core.json.JsonObject profile(String customer) {
        CustomerHistory h = histories.get(customer);
        if (h == null) {
            return null;
        }
        Map<Integer, Integer> itemCounts = new HashMap<>();
        Map<Integer, Integer> categoryCounts = new HashMap<>();
        io.vertx.core.json.JsonArray timeline = new io.vertx.core.json.JsonArray();
        List<Basket> baskets = h.baskets();
        for (int b = 0; b < baskets.size(); b++) {
            Basket basket = baskets.get(b);
            io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
            io.vertx.core.json.JsonArray cats = new io.vertx.core.json.JsonArray();
            for (int j = 0; j < basket.size(); j++) {
                int id = basket.item(j);
                itemCounts.merge(id, 1, Integer::sum);
                ids.add(id);
                int cat = basket.category(j);
                if (cat >= 0) {
                    categoryCounts.merge(cat, 1, Integer::sum);
                    cats.add(cat);
                }
            }
            if (b >= baskets.size() - 30) {
                timeline.add(new io.vertx.core.json.JsonObject()
                        .put("time", java.time.Instant.ofEpochSecond(basket.epochSeconds()).toString())
                        .put("items", ids).put("categories", cats));
            }
        }
        RepeatHead head = heads.get(customer);
        return new io.vertx.core.json.JsonObject().put("customer", customer).put("baskets", baskets.size())
                .put("distinctItems", itemCounts.size()).put("timeline", timeline)
                .put("topItems", labelled(top(itemCounts, "item"))).put("categories", top(categoryCounts, "category"))
                .put("repeatProbability", head == null ? null : head.gate());
    }

    private io.vertx.core.json.JsonArray labelled(io.vertx.core.json.JsonArray top) {
        for (Object o : top) {
            io.vertx.core.json.JsonObject e = (io.vertx.core.json.JsonObject) o;
            String code = itemCode(e.getInteger("item"));
            if (code != null) {
                e.put("code", code);
            }
        }
        return top;
    }

    private static io.vertx.core.json.JsonArray top(Map<Integer, Integer> counts, String key) {
        io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
        counts.entrySet().stream()
                .sorted((a, b) -> b.getValue().equals(a.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                        : Integer.compare(b.getValue(), a.getValue()))
                .limit(10).forEach(e -> out.add(new io.vertx.core.json.JsonObject().put(key, e.getKey())
                        .put("count", e.getValue())));
        return out;
    }

    public int customerCount() {
        return customers.size();
    }
}
