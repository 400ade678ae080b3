package io.interestfl.simulations.bandit;

import io.interestfl.serving.PolicyOptions;
import io.interestfl.serving.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayEvaluatorTest {
    @Test
    void replayEstimatesAgreeWithOnlineValues() {
        BanditConfig cfg = new BanditConfig(300, 12, 4, 8, 8, 1, 1, 1, false, 0, 0, 1, 1, 1, 1, 1, 0, 21);
        DriftingEnvironment env = new DriftingEnvironment(cfg);
        ReplayEvaluator.Representation rep = ReplayEvaluator.Representation.noisy(env, 0.3, 22);
        List<ReplayEvaluator.LoggedEvent> log = ReplayEvaluator.uniformLog(env, 60_000, 23);
        double randomValue = ReplayEvaluator.online(Policies.create("random", rep.items(), PolicyOptions.defaults(1)),
                env, rep, 20_000, 24);
        double greedyValue = Double.NaN;
        for (String p : List.of("random", "greedy", "thompson", "linucb")) {
            ReplayEvaluator.Estimate e = ReplayEvaluator.replay(
                    Policies.create(p, rep.items(), PolicyOptions.defaults(1)), log, rep);
            assertEquals(60_000.0 / 12, e.matched(), 600, p + " matches about 1 in 12 events");
            double online = ReplayEvaluator.online(Policies.create(p, rep.items(), PolicyOptions.defaults(1)), env,
                    rep, e.matched(), 25);
            assertEquals(online, e.value(), 0.04, p + ": replay " + e.value() + " vs online " + online);
            if (p.equals("greedy")) {
                greedyValue = e.value();
            }
        }
        assertTrue(greedyValue > randomValue + 0.05, "replay ranks greedy " + greedyValue + " above random " + randomValue);
    }

    @Test
    void refusesADriftingEnvironment() {
        DriftingEnvironment env = new DriftingEnvironment(BanditSimulationTest.small(1, true));
        assertThrows(IllegalArgumentException.class, () -> ReplayEvaluator.uniformLog(env, 10, 1));
    }
}
