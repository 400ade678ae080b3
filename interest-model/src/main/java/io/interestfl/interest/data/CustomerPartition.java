package io.interestfl.interest.data;

import java.util.function.LongPredicate;

/**
 * Deterministic partitioning of customers by a hash of their id, e.g. to split the United Kingdom
 * (3,921 customers) into pseudo-regions that act as separate merchants. The hash is the SplitMix64
 * finalizer (a fixed, public bijective 64-bit mix; not a secret and not meant to be one), so every
 * node computes the same buckets.
 */
public final class CustomerPartition {
    private CustomerPartition() {
    }

    /** SplitMix64 finalizer (Steele, Lea, Flood 2014). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Bucket in {@code [0, buckets)} of a customer: {@code unsignedRemainder(mix64(customerId), buckets)}. */
    public static int hashBucket(long customerId, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be > 0, got " + buckets);
        }
        return (int) Long.remainderUnsigned(mix64(customerId), buckets);
    }

    /** A customer filter accepting exactly the customers of {@code bucket} out of {@code buckets}. */
    public static LongPredicate bucketFilter(int bucket, int buckets) {
        if (bucket < 0 || bucket >= buckets) {
            throw new IllegalArgumentException("bucket must be in [0, " + buckets + "), got " + bucket);
        }
        return id -> hashBucket(id, buckets) == bucket;
    }

    /** Name of a customer's UK pseudo-region, {@code "United Kingdom/<bucket>"}. */
    public static String ukPseudoRegion(long customerId, int regions) {
        return "United Kingdom/" + hashBucket(customerId, regions);
    }
}
