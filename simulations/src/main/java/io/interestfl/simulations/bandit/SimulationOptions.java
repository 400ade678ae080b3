package io.interestfl.simulations.bandit;

import io.interestfl.serving.policy.Policies;
import picocli.CommandLine.Option;

import java.util.List;

/** The policies to run and the simulated customers as command-line options (a picocli mixin) of {@code simulate bandit} and {@code simulate replay}. */
final class SimulationOptions {
    @Option(names = "--policy", description = "greedy, egreedy, thompson, linucb, random, or all (default: ${DEFAULT-VALUE}).")
    String policy = "all";
    @Option(names = "--customers", description = "Customers (default: ${DEFAULT-VALUE}).")
    int customers = 500;

    /** The policies {@code --policy} names, {@link Policies#NAMES} for "all"; an unknown name is an error that lists the known ones. */
    List<String> policies() {
        List<String> names = policy.equals("all") ? Policies.NAMES : List.of(policy);
        for (String n : names) {
            if (!Policies.NAMES.contains(n)) {
                throw new IllegalArgumentException("unknown --policy " + n + "; expected one of " + Policies.NAMES + " or all");
            }
        }
        return names;
    }
}
