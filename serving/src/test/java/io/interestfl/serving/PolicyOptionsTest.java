package io.interestfl.serving;

import io.interestfl.serving.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyOptionsTest {
    private static PolicyConfig parse(String... args) {
        PolicyOptions options = new PolicyOptions();
        new CommandLine(options).parseArgs(args);
        return options.config(3);
    }

    /** A negatable option that defaults to true is easy to get backwards in picocli: both forms are checked. */
    @Test
    void itemOffsetsDefaultOnAndBothFormsOfTheFlagDoWhatTheySay() {
        assertTrue(parse().itemOffsets());
        assertFalse(parse("--no-item-offsets").itemOffsets());
        assertTrue(parse("--item-offsets").itemOffsets());
        assertEquals(PolicyConfig.DEFAULT_ITEM_OFFSETS, PolicyOptions.defaults(3).itemOffsets());
        assertEquals(PolicyConfig.defaults(3), PolicyOptions.defaults(3).withDiversity(PolicyConfig.defaults(3).diversity()));
    }
}
