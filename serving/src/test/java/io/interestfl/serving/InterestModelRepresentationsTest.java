package io.interestfl.serving;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.serving.policy.ItemSpace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InterestModelRepresentationsTest {
    private static final int C = 30;

    /** softmax(h . v_i + b_i) over the catalogue must reproduce InterestModel.score for both architectures. */
    @Test
    void itemVectorsAndCustomerVectorReproduceTheModelsScores() {
        InterestModel.configureThreads(1);
        List<CustomerHistory> histories = List.of(
                new CustomerHistory(12346, List.of(new Basket(1, new int[]{2, 3}), new Basket(2, new int[]{5}))),
                new CustomerHistory(12347, List.of(new Basket(1, new int[]{7, 8, 9}))));
        for (String arch : List.of("lstm", "gru", "attention")) {
            try (InterestModel m = InterestModel.create(new ModelConfig(arch, C, 6, 8, 12, 0.01, 16, 7))) {
                InterestModelRepresentations reps = InterestModelRepresentations.of(m, histories, null);
                ItemSpace items = reps.items();
                assertEquals(C, items.size());
                assertEquals(12, items.dimension());
                assertEquals(2, items.firstItem());
                assertNull(reps.customerVector("99999"));
                // customer vectors are as of the latest basket (time 2): ages are measured from there
                float[][] scores = m.score(List.of(histories.get(0).timed(2, 2), histories.get(1).timed(1, 2)));
                for (int u = 0; u < 2; u++) {
                    float[] h = reps.customerVector(Long.toString(histories.get(u).customerId()));
                    double[] logits = new double[C];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < C; i++) {
                        double s = items.bias(i);
                        for (int j = 0; j < h.length; j++) {
                            s += h[j] * items.vector(i)[j];
                        }
                        logits[i] = s;
                        max = Math.max(max, s);
                    }
                    double z = 0;
                    for (double l : logits) {
                        z += Math.exp(l - max);
                    }
                    for (int i = 0; i < C; i++) {
                        assertEquals(scores[u][i], Math.exp(logits[i] - max) / z, 1e-5, arch + " item " + i);
                    }
                }
            }
        }
    }
}
