package io.interestfl.simulations.bandit;

import io.interestfl.serving.JsonOutput;
import io.interestfl.serving.PolicyOptions;
import io.interestfl.serving.SyntheticDataOptions;
import io.interestfl.serving.policy.Policies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code interestfl simulate replay}: offline replay evaluation on a uniformly random log, checked against online runs. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Generates a log with uniformly random exploration from the (stationary) simulator, estimates "
                + "each policy's per-slate reward by replay (Li et al. 2011), and compares with the policy's online value.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    SimulationOptions simulation = new SimulationOptions();
    @Mixin
    SyntheticDataOptions data = new SyntheticDataOptions(20);
    @Option(names = "--events", description = "Logged events (default: ${DEFAULT-VALUE}).")
    int events = 100_000;
    @Option(names = "--noise", description = "Noise of the representation (default: ${DEFAULT-VALUE}).")
    double noise = 0.3;
    @Option(names = "--json", description = JsonOutput.HELP)
    boolean json;
    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Override
    public Integer call() {
        try (JsonOutput output = JsonOutput.open(json)) {
            return run(output);
        }
    }

    private Integer run(JsonOutput output) {
        int customers = simulation.customers;
        int items = data.items();
        long seed = data.seed();
        List<String> names = simulation.policies();
        BanditConfig cfg = new BanditConfig(customers, items, Math.min(items, 5), 8, 8, 1, 1, 1, false, 0, 0, 1, 1,
                1, 1, 1, 0, seed);
        DriftingEnvironment env = new DriftingEnvironment(cfg);
        ReplayEvaluator.Representation rep = ReplayEvaluator.Representation.noisy(env, noise, seed + 1);
        List<ReplayEvaluator.LoggedEvent> log = ReplayEvaluator.uniformLog(env, events, seed + 2);
        if (!json) {
            System.out.printf(Locale.ROOT, "%-9s %8s %9s %9s %9s%n", "policy", "matched", "replay", "online", "diff");
        }
        JsonArray results = new JsonArray();
        for (String n : names) {
            ReplayEvaluator.Estimate e = ReplayEvaluator.replay(
                    Policies.create(n, rep.items(), policyOptions.config(seed)), log, rep);
            double online = ReplayEvaluator.online(Policies.create(n, rep.items(), policyOptions.config(seed)), env,
                    rep, e.matched(), seed + 3);
            results.add(new JsonObject().put("policy", n).put("matched", e.matched()).put("replay", e.value())
                    .put("online", online).put("difference", e.value() - online));
            if (!json) {
                System.out.printf(Locale.ROOT, "%-9s %8d %9.4f %9.4f %+9.4f%n", n, e.matched(), e.value(), online,
                        e.value() - online);
            }
        }
        if (json) {
            output.document().println(new JsonObject().put("events", events).put("items", items).put("customers", customers)
                    .put("noise", noise).put("seed", seed).put("results", results).encodePrettily());
        }
        return 0;
    }
}
