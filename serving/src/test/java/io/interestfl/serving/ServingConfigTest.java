package io.interestfl.serving;

import io.interestfl.serving.policy.ItemSpace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServingConfigTest {
    @Test
    void parsesAndChoosesThePolicy() {
        ServingConfig c = ServingConfig.fromMap(Map.of("port", 7081, "feedback-log", "run/fb.csv", "policy", "linucb",
                "max-per-category", 2, "ucb-alpha", "0.8", "seed", 9));
        assertEquals(7081, c.port());
        assertEquals(Path.of("run/fb.csv"), c.feedbackLog());
        assertEquals(0.8, c.policyConfig().ucbAlpha());
        assertEquals(2, c.policyConfig().diversity().maxPerCategory());
        assertEquals(9, c.policyConfig().seed());
        ItemSpace items = new ItemSpace(new float[][]{{1}, {2}, {3}}, null, null, null, 0);
        assertEquals("linucb", c.createPolicy(items).name());
        assertEquals("thompson", ServingConfig.fromMap(Map.of("feedback-log", "x.csv")).policy());
        ServingConfig defaults = ServingConfig.fromMap(Map.of("feedback-log", "x.csv"));
        assertTrue(defaults.policyConfig().itemOffsets());
        assertEquals(20, defaults.policyConfig().categoryPrior());
        ServingConfig off = ServingConfig.fromMap(Map.of("feedback-log", "x.csv", "item-offsets", false,
                "category-prior", "Infinity"));
        assertEquals(false, off.policyConfig().itemOffsets());
        assertEquals(Double.POSITIVE_INFINITY, off.policyConfig().categoryPrior());
        assertEquals(false, ServingConfig.fromMap(Map.of("feedback-log", "x", "item-offsets", "false")).policyConfig().itemOffsets());
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("serving: unknown key 'polcy'", Map.of("feedback-log", "x", "polcy", "greedy"));
        assertMessage("serving.feedback-log is required", Map.of("policy", "greedy"));
        assertMessage("serving.policy: unknown policy 'softmax'", Map.of("feedback-log", "x", "policy", "softmax"));
        assertMessage("serving.lambda must be a number", Map.of("feedback-log", "x", "lambda", "big"));
        assertMessage("serving: lambda must be > 0", Map.of("feedback-log", "x", "lambda", -1));
        assertMessage("serving.port must be in", Map.of("feedback-log", "x", "port", 70000));
        assertMessage("serving.item-offsets must be true or false", Map.of("feedback-log", "x", "item-offsets", "yes"));
        assertMessage("serving: categoryPrior must be > 0", Map.of("feedback-log", "x", "category-prior", 0));
    }

    private static void assertMessage(String start, Map<String, ?> m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServingConfig.fromMap(m));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void servesOnLoopbackWithAGeneratedOwnerOnlyTokenUnlessConfigured(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        ServingConfig config = ServingConfig.fromMap(Map.of("feedback-log", dir.resolve("fb.csv").toString()));
        assertEquals("127.0.0.1", config.host());
        assertEquals(dir.resolve("serving-token"), config.tokenPath());
        float[][] v = new float[5][2];
        ItemSpace items = new ItemSpace(v, null, null, new double[5], 2);
        RecommendationServer server = config.createServer(new StaticRepresentations(items, Map.of()));
        assertEquals("127.0.0.1", server.host());
        String token = java.nio.file.Files.readString(dir.resolve("serving-token")).trim();
        assertEquals(64, token.length(), "32 random bytes, hex");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(dir.resolve("serving-token"))));
        java.nio.file.Files.writeString(dir.resolve("short"), "abc\n");
        ServingConfig weak = ServingConfig.fromMap(Map.of("feedback-log", dir.resolve("fb.csv").toString(),
                "token-file", dir.resolve("short").toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> weak.createServer(new StaticRepresentations(items, Map.of())));
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
    }
}
