package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.ItemCatalogue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item-to-item co-occurrence as a first-order Markov chain over baskets: from every pair of consecutive
 * training baskets (b, b') of a customer, each item i of b "leads to" each item j of b'. The score of j
 * for a test case is {@code sum over i in the last training basket of count(i -> j) / out(i)}, where out(i)
 * is the number of transitions leaving i (so each item of the last basket casts one vote spread over its
 * successors), plus {@code 1e-6 * popularity(j) / max popularity} so that items no transition reaches are
 * still ranked by popularity. A case without a last basket falls back to popularity alone.
 * Counts are kept sparse: per source item, its successors and their normalised weights in two arrays.
 */
public final class CoOccurrenceBaseline implements CaseScorer {
    private final int catalogueSize;
    private final int[][] successors;     // by source item id; null when the item leads nowhere
    private final float[][] weights;      // count(i -> j) / out(i), parallel to successors
    private final float[] fallback;

    private CoOccurrenceBaseline(int catalogueSize, Map<Integer, Map<Integer, Integer>> transitions,
                                 Map<Integer, Integer> outgoing, float[] fallback) {
        this.catalogueSize = catalogueSize;
        this.successors = new int[catalogueSize][];
        this.weights = new float[catalogueSize][];
        transitions.forEach((i, row) -> {
            int[] js = new int[row.size()];
            float[] ws = new float[row.size()];
            float norm = 1f / outgoing.get(i);
            int k = 0;
            for (Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(row).entrySet()) {
                js[k] = e.getKey();
                ws[k++] = e.getValue() * norm;
            }
            successors[i] = js;
            weights[i] = ws;
        });
        this.fallback = fallback;
    }

    public static CoOccurrenceBaseline fromHistories(List<CustomerHistory> train, int catalogueSize) {
        Map<Integer, Map<Integer, Integer>> tr = new HashMap<>();
        Map<Integer, Integer> out = new HashMap<>();
        for (CustomerHistory c : train) {
            List<Basket> bs = c.baskets();
            for (int t = 1; t < bs.size(); t++) {
                Basket prev = bs.get(t - 1), next = bs.get(t);
                for (int a = 0; a < prev.size(); a++) {
                    int i = prev.item(a);
                    if (!valid(i, catalogueSize)) {
                        continue;
                    }
                    Map<Integer, Integer> row = tr.computeIfAbsent(i, x -> new HashMap<>());
                    for (int b = 0; b < next.size(); b++) {
                        int j = next.item(b);
                        if (valid(j, catalogueSize)) {
                            row.merge(j, 1, Integer::sum);
                            out.merge(i, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        float[] pop = PopularityBaseline.fromHistories(train, catalogueSize).counts();
        float max = 0;
        for (float p : pop) {
            max = Math.max(max, p);
        }
        for (int j = 0; j < pop.length; j++) {
            pop[j] = max == 0 ? 0 : 1e-6f * pop[j] / max;
        }
        return new CoOccurrenceBaseline(catalogueSize, tr, out, pop);
    }

    private static boolean valid(int id, int c) {
        return id >= ItemCatalogue.RESERVED && id < c;
    }

    /** Number of distinct (i, j) transitions stored. */
    public long pairs() {
        long n = 0;
        for (int[] js : successors) {
            n += js == null ? 0 : js.length;
        }
        return n;
    }

    @Override
    public float[][] score(List<HeldOutBasket> cases) {
        float[][] out = new float[cases.size()][];
        for (int u = 0; u < out.length; u++) {
            float[] s = fallback.clone();
            for (int i : cases.get(u).lastBasket()) {
                if (i < 0 || i >= catalogueSize || successors[i] == null) {
                    continue;
                }
                int[] js = successors[i];
                float[] ws = weights[i];
                for (int k = 0; k < js.length; k++) {
                    s[js[k]] += ws[k];
                }
            }
            out[u] = s;
        }
        return out;
    }

    public int catalogueSize() {
        return catalogueSize;
    }
}
