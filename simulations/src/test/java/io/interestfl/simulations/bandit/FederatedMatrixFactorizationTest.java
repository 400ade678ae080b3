package io.interestfl.simulations.bandit;

import io.interestfl.simulations.bandit.FederatedMatrixFactorization.Observation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FederatedMatrixFactorizationTest {
    @Test
    void recencyWeightsHalveEveryHalfLife() {
        // 2^(-age / halfLife), by hand
        assertEquals(1.0, FederatedMatrixFactorization.recencyWeight(0, 20), 1e-12);
        assertEquals(0.5, FederatedMatrixFactorization.recencyWeight(20, 20), 1e-12);
        assertEquals(0.25, FederatedMatrixFactorization.recencyWeight(40, 20), 1e-12);
        assertEquals(0.7071067811865476, FederatedMatrixFactorization.recencyWeight(10, 20), 1e-12);   // 1/sqrt(2)
        assertEquals(0.125, FederatedMatrixFactorization.recencyWeight(99, 33), 1e-12);
        assertEquals(0.0625, FederatedMatrixFactorization.recencyWeight(100, 25), 1e-12);
        // half-life 0: no weighting
        assertEquals(1.0, FederatedMatrixFactorization.recencyWeight(99, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> FederatedMatrixFactorization.recencyWeight(-1, 20));
    }

    /** Start vectors of the model after one SGD step on one observation of weight {@code w}: (customer, item, bias). */
    private static float[][] oneStep(float w, boolean customerOnly) {
        FederatedMatrixFactorization m = new FederatedMatrixFactorization(2, 3, 4, 5);
        m.train(List.of(List.of(new Observation(1, 2, 1f, w))), 1, 1, customerOnly);
        return new float[][]{m.customerVector(1), m.itemVectors()[2], {m.itemBias()[2]}};
    }

    @Test
    void aWeightScalesTheSgdStep() {
        float[][] zero = oneStep(0f, false);      // weight 0: no step; the start vectors (but FedAvg total 0: no item step)
        float[][] one = oneStep(1f, false);
        float[][] half = oneStep(0.5f, false);
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < zero[k].length; j++) {
                double full = one[k][j] - zero[k][j];
                assertEquals(full / 2, half[k][j] - zero[k][j], 1e-6, "half weight, half step, part " + k);
            }
        }
        // customer-only scope: the customer step is halved, the item step is the unweighted one
        float[][] halfCustomer = oneStep(0.5f, true);
        assertArrayEquals(half[0], halfCustomer[0], 1e-7f);
        assertArrayEquals(one[1], halfCustomer[1], 1e-7f);
        assertArrayEquals(one[2], halfCustomer[2], 1e-7f);
    }

    @Test
    void unitWeightsTrainAsBefore() {
        FederatedMatrixFactorization a = new FederatedMatrixFactorization(4, 6, 3, 9);
        FederatedMatrixFactorization b = new FederatedMatrixFactorization(4, 6, 3, 9);
        List<List<Observation>> logs = List.of(
                List.of(new Observation(0, 1, 1f), new Observation(2, 3, 0f)),
                List.of(new Observation(1, 5, 1f), new Observation(3, 1, 1f), new Observation(1, 2, 0f)));
        a.train(logs, 2, 2);
        b.train(logs, 2, 2, true);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(a.itemVectors()[i], b.itemVectors()[i], 0f);
        }
        assertArrayEquals(a.customerVector(3), b.customerVector(3), 0f);
    }

    /**
     * With category vectors, clicks on item 0 (category 0) move item 1, never shown, through the category vector,
     * and leave item 2 (category 1) where it started; without them an item that was never shown does not move.
     */
    @Test
    void categoryVectorsCarryFeedbackToTheOtherItemsOfTheCategory() {
        int[] categories = {0, 0, 1};
        List<List<Observation>> logs = List.of(List.of(new Observation(0, 0, 1f), new Observation(1, 0, 1f)));
        FederatedMatrixFactorization plain = new FederatedMatrixFactorization(2, 3, 4, 11);
        FederatedMatrixFactorization withCategories = new FederatedMatrixFactorization(2, 3, 4, 11, categories);
        float[][] start = withCategories.itemVectors();
        assertArrayEquals(plain.itemVectors()[1], start[1], 0f, "category vectors start at 0");
        plain.train(logs, 1, 3);
        withCategories.train(logs, 1, 3);
        float[][] after = withCategories.itemVectors();
        assertArrayEquals(start[1], plain.itemVectors()[1], 0f, "without categories an unseen item does not move");
        assertArrayEquals(start[2], after[2], 0f, "another category does not move");
        double moved = 0;
        for (int j = 0; j < 4; j++) {
            moved += Math.abs(after[1][j] - start[1][j]);   // item 1's own part is untouched: this is the category's change
        }
        assertTrue(moved > 1e-3, "the clicks on item 0 moved item 1 through the category vector: " + moved);
        assertThrows(IllegalArgumentException.class, () -> new FederatedMatrixFactorization(2, 3, 4, 11, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new FederatedMatrixFactorization(2, 3, 4, 11, new int[]{0, -1, 1}));
    }

    /**
     * Items 0, 1, 3 and 5 of category 0, items 2 and 4 of category 1; item 5 is never observed. After training,
     * items 3 and 2 become new products: item 3 starts at the mean of items 0 and 1 (item 5, untrained, is left out),
     * item 2 at item 4, the only other trained item of its category.
     */
    @Test
    void aNewItemStartsAtTheMeanOfItsCategorysTrainedItems() {
        FederatedMatrixFactorization m = new FederatedMatrixFactorization(3, 6, 2, 4);
        m.train(List.of(List.of(new Observation(0, 0, 1f), new Observation(1, 1, 0f), new Observation(2, 4, 1f),
                new Observation(0, 2, 1f), new Observation(1, 3, 1f))), 2, 2);
        float[][] v = m.itemVectors();
        float[] b = m.itemBias();
        int[] categories = {0, 0, 1, 0, 1, 0};
        m.introduceItems(new int[]{2, 3}, categories);
        float[][] after = m.itemVectors();
        for (int j = 0; j < 2; j++) {
            assertEquals((v[0][j] + v[1][j]) / 2, after[3][j], 1e-6, "item 3: mean of items 0 and 1");
            assertEquals(v[4][j], after[2][j], 1e-6, "item 2: item 4, the only other trained item of category 1");
            assertEquals(v[0][j], after[0][j], 0, "old items are untouched");
            assertEquals(v[5][j], after[5][j], 0, "untrained items too");
        }
        assertEquals((b[0] + b[1]) / 2, m.itemBias()[3], 1e-6);
        assertEquals(b[4], m.itemBias()[2], 1e-6);
        assertEquals(b[1], m.itemBias()[1], 0);
        // a new product is untrained until observed: item 4 listed again in category 0 starts at items 0 and 1 only
        m.introduceItems(new int[]{4}, new int[]{0, 0, 1, 0, 0, 0});
        assertEquals((b[0] + b[1]) / 2, m.itemBias()[4], 1e-6, "items 3 and 5 (untrained) left out");
        // no trained item in the category: the mean over every trained item (0, 1)
        m.introduceItems(new int[]{2}, new int[]{0, 0, 2, 0, 0, 0});
        assertEquals((b[0] + b[1]) / 2, m.itemBias()[2], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> m.introduceItems(new int[]{6}, categories));
        assertThrows(IllegalArgumentException.class, () -> m.introduceItems(new int[]{1}, new int[]{0, 0}));
    }

    @Test
    void withCategoryVectorsANewItemIsItsCategorysVector() {
        FederatedMatrixFactorization m = new FederatedMatrixFactorization(2, 4, 3, 8, new int[]{0, 0, 1, 1});
        m.train(List.of(List.of(new Observation(0, 0, 1f), new Observation(1, 1, 1f), new Observation(0, 3, 0f))), 3, 2);
        float[][] v = m.itemVectors();
        // items 1 and 3 are new products, both of category 0 (item 3 was of category 1)
        m.introduceItems(new int[]{1, 3}, new int[]{0, 0, 1, 0});
        float[][] after = m.itemVectors();
        assertArrayEquals(after[1], after[3], 0, "both new items are category 0's vector");
        assertTrue(after[1][0] != v[1][0] || after[1][1] != v[1][1], "item 1's own part was dropped");
        assertArrayEquals(v[0], after[0], 0);
        assertArrayEquals(v[2], after[2], 0);
    }
}
