package io.interestfl.serving.policy;

import java.util.List;

/** Creates a policy by its configured name. */
public final class Policies {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("greedy", "egreedy", "thompson", "linucb", "random");

    private Policies() {
    }

    public static PosteriorPolicy create(String name, ItemSpace items, PolicyConfig config) {
        return switch (name) {
            case "greedy" -> new GreedyPolicy(items, config);
            case "egreedy" -> new EpsilonGreedyPolicy(items, config);
            case "thompson" -> new ThompsonSamplingPolicy(items, config);
            case "linucb" -> new LinUcbPolicy(items, config);
            case "random" -> new RandomPolicy(items, config);
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; expected one of " + NAMES);
        };
    }
}
