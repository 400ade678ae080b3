package io.interestfl.simulations.bandit;

import io.interestfl.serving.policy.Policies;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationOptionsTest {
    private static SimulationOptions parse(String... args) {
        SimulationOptions options = new SimulationOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void allNamesEveryPolicyAndOneNameOnlyThatOne() {
        assertEquals(Policies.NAMES, parse().policies());
        assertEquals(List.of("linucb"), parse("--policy", "linucb").policies());
        assertEquals(500, parse().customers);
    }

    @Test
    void anUnknownPolicyIsAnErrorThatListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--policy", "ucb").policies());
        assertTrue(e.getMessage().startsWith("unknown --policy ucb; expected one of " + Policies.NAMES), e.getMessage());
    }

    @Test
    void eachCommandKeepsItsOwnCatalogueSizeAndTheSameSeed() {
        BanditCommand bandit = new BanditCommand();
        ReplayCommand replay = new ReplayCommand();
        new CommandLine(bandit).parseArgs();
        new CommandLine(replay).parseArgs("--seed", "9");
        assertEquals(1000, bandit.data.items());
        assertEquals(1, bandit.data.seed());
        assertEquals(20, replay.data.items());
        assertEquals(9, replay.data.seed());
    }
}
