package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomerPartitionTest {
    @Test
    void splitMix64FinalizerKnownValues() {
        // computed independently in Python with the SplitMix64 finalizer constants
        assertEquals(6238072747940578789L, CustomerPartition.mix64(1));
        assertEquals(-2335207475674134409L, CustomerPartition.mix64(12346));
        assertEquals(388217735065397542L, CustomerPartition.mix64(17850));
        assertEquals(1, CustomerPartition.hashBucket(1, 4));
        assertEquals(3, CustomerPartition.hashBucket(12346, 4), "unsigned remainder of a negative mix");
        assertEquals(2, CustomerPartition.hashBucket(17850, 4));
        assertEquals("United Kingdom/2", CustomerPartition.ukPseudoRegion(17850, 4));
    }

    @Test
    void bucketsAreBalancedAndFiltersPartition() {
        int buckets = 4;
        int[] counts = new int[buckets];
        LongPredicate[] filters = new LongPredicate[buckets];
        for (int b = 0; b < buckets; b++) {
            filters[b] = CustomerPartition.bucketFilter(b, buckets);
        }
        for (long id = 12346; id <= 18287; id++) {
            int b = CustomerPartition.hashBucket(id, buckets);
            counts[b]++;
            for (int k = 0; k < buckets; k++) {
                assertEquals(k == b, filters[k].test(id));
            }
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 5942 / 4.0) < 150, "bucket sizes " + java.util.Arrays.toString(counts));
        }
        assertFalse(filters[0].test(12346));
        assertThrows(IllegalArgumentException.class, () -> CustomerPartition.hashBucket(1, 0));
        assertThrows(IllegalArgumentException.class, () -> CustomerPartition.bucketFilter(4, 4));
    }
}
