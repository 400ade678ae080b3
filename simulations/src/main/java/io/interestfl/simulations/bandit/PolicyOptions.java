package io.interestfl.simulations.bandit;

import io.interestfl.client.policy.DiversityConstraint;
import io.interestfl.client.policy.EpsilonSchedule;
import io.interestfl.client.policy.PolicyConfig;
import picocli.CommandLine.Option;

/** Policy settings shared by the simulation commands (defaults: {@link #defaults}). */
public final class PolicyOptions {
    @Option(names = "--lambda", description = "Prior precision around the customer vector (default: ${DEFAULT-VALUE}).")
    double lambda = 3.0;
    @Option(names = "--sigma", description = "Reward noise standard deviation (default: ${DEFAULT-VALUE}).")
    double sigma = 0.4;
    @Option(names = "--gamma", description = "Per-observation discount in (0, 1] (default: ${DEFAULT-VALUE}).")
    double gamma = 1.0;
    @Option(names = "--memory", description = "Observations per customer replayed on a new model, 0 = forget (default: ${DEFAULT-VALUE}).")
    int memory = 0;
    @Option(names = "--alpha", description = "LinUCB width (default: ${DEFAULT-VALUE}).")
    double alpha = 0.5;
    @Option(names = "--thompson-scale", description = "Thompson posterior scale (default: ${DEFAULT-VALUE}).")
    double thompsonScale = 0.5;
    @Option(names = "--item-prior", description = "Pseudo-count of the item-level uncertainty, Infinity = off (default: ${DEFAULT-VALUE}).")
    double itemPrior = 10.0;
    @Option(names = "--epsilon", description = "Initial epsilon (default: ${DEFAULT-VALUE}).")
    double epsilon = 0.1;
    @Option(names = "--epsilon-min", description = "Final epsilon (default: ${DEFAULT-VALUE}).")
    double epsilonMin = 0.05;
    @Option(names = "--epsilon-decay", description = "Slates for epsilon to halve, 0 = constant (default: ${DEFAULT-VALUE}).")
    double epsilonDecay = 20_000;

    /** The policy configuration of the simulations. */
    public PolicyConfig config(long seed) {
        return new PolicyConfig(lambda, sigma, gamma, memory, new EpsilonSchedule(epsilon, epsilonMin, epsilonDecay),
                thompsonScale, alpha, itemPrior, DiversityConstraint.NONE, 0.3, seed);
    }

    /** The defaults above, without picocli. */
    public static PolicyConfig defaults(long seed) {
        return new PolicyOptions().config(seed);
    }
}
