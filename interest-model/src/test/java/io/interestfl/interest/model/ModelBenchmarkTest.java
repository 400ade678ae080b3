package io.interestfl.interest.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBenchmarkTest {
    @Test
    void runsOnATinyConfig() {
        ModelBenchmark.Result r = ModelBenchmark.run(new ModelConfig("attention", 30, 5, 4, 6, 0.01, 8, 1), 3);
        assertEquals("attention", r.architecture());
        assertTrue(r.wallMsPerStep() > 0 && r.cpuMsPerStep() >= 0, r.toString());
        assertTrue(r.parameters() > 0);
    }

    @Test
    void headAloneRunsOnATinyConfig() {
        ModelBenchmark.Result r = ModelBenchmark.runHead(new ModelConfig("gru", 30, 5, 4, 6, 0.01, 8, 1), 3);
        assertEquals("softmax head", r.architecture());
        assertTrue(r.wallMsPerStep() > 0 && r.cpuMsPerStep() >= 0, r.toString());
        assertEquals(6 * 30 + 30, r.parameters(), "W [hidden, catalogue] and b [catalogue]");
    }
}
