package io.interestfl.interest.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    @Test
    void validConfigs() {
        ModelConfig c = ModelConfig.defaults("lstm", 3667);
        assertEquals(new ModelConfig("lstm", 3667, 20, 32, 64, 0.002, 64, 42), c);
        assertEquals("attention", c.withArchitecture("attention").architecture());
        assertEquals(2, c.attentionHeads());
        assertEquals(1, new ModelConfig("attention", 10, 5, 4, 7, 0.1, 1, 0).attentionHeads());
    }

    @Test
    void invalidValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig("transformer", 2, 0, -1, 0, Double.NaN, 0, 1));
        String m = e.getMessage();
        assertTrue(m.contains("architecture must be \"lstm\", \"gru\", \"attention\" or \"sasrec\", got \"transformer\""), m);
        assertTrue(m.contains("catalogueSize must be >= 3"), m);
        assertTrue(m.contains("got 2"), m);
        assertTrue(m.contains("historyLength must be >= 1, got 0"), m);
        assertTrue(m.contains("embeddingSize must be >= 1, got -1"), m);
        assertTrue(m.contains("hiddenSize must be >= 1, got 0"), m);
        assertTrue(m.contains("learningRate must be a finite number > 0, got NaN"), m);
        assertTrue(m.contains("batchSize must be >= 1, got 0"), m);
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(null, 10, 1, 1, 1, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig("lstm", 10, 1, 1, 1, Double.POSITIVE_INFINITY, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig("LSTM", 10, 1, 1, 1, 0.1, 1, 1));
    }
}
