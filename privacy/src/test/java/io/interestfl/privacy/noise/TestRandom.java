package io.interestfl.privacy.noise;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Deterministic SecureRandom instances for reproducible statistical tests. */
final class TestRandom {

    private TestRandom() {
    }

    /** SHA1PRNG seeded before first use is a deterministic stream. */
    static SecureRandom seeded(String seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed.getBytes(StandardCharsets.UTF_8));
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
