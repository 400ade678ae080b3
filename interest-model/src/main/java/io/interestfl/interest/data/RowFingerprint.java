package io.interestfl.interest.data;

import java.util.List;

/**
 * A 128-bit hash of a row's fields (two independent 64-bit hashes, each finished by
 * {@link CustomerPartition#mix64}), so that exact duplicates can be found at 16 bytes per kept row; a false
 * duplicate would need a 128-bit collision.
 */
record RowFingerprint(long a, long b) {
    static RowFingerprint of(List<String> fields) {
        long a = 0x9E3779B97F4A7C15L, b = 0xC2B2AE3D27D4EB4FL;
        for (String s : fields) {
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                a = (a ^ c) * 0x100000001B3L;
                b = (b + c) * 0xFF51AFD7ED558CCDL;
                b ^= b >>> 29;
            }
            // field separator that cannot occur inside a field
            a = (a ^ 0x1_0000L) * 0x100000001B3L;
            b = (b + 0x1_0000L) * 0xFF51AFD7ED558CCDL;
            b ^= b >>> 29;
        }
        return new RowFingerprint(CustomerPartition.mix64(a), CustomerPartition.mix64(b));
    }
}
