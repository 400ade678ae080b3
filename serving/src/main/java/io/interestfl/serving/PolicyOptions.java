package io.interestfl.serving;

import io.interestfl.serving.policy.ChangeDetection;
import io.interestfl.serving.policy.DiversityConstraint;
import io.interestfl.serving.policy.EpsilonSchedule;
import io.interestfl.serving.policy.PolicyConfig;
import picocli.CommandLine.Option;

/**
 * Policy settings as command-line options (a picocli mixin), shared by {@code bench serving} and the simulation
 * commands; the defaults are {@link PolicyConfig#defaults}'s.
 */
public final class PolicyOptions {
    private static final PolicyConfig DEFAULTS = PolicyConfig.defaults(0);

    @Option(names = "--lambda", description = "Prior precision around the customer vector (default: ${DEFAULT-VALUE}).")
    double lambda = DEFAULTS.lambda();
    @Option(names = "--sigma", description = "Reward noise standard deviation (default: ${DEFAULT-VALUE}).")
    double sigma = DEFAULTS.sigma();
    @Option(names = "--gamma", description = "Per-observation discount in (0, 1] (default: ${DEFAULT-VALUE}).")
    double gamma = DEFAULTS.gamma();
    @Option(names = "--memory", description = "Observations per customer replayed on a new model, 0 = forget (default: ${DEFAULT-VALUE}).")
    int memory = DEFAULTS.memory();
    @Option(names = "--alpha", description = "LinUCB width (default: ${DEFAULT-VALUE}).")
    double alpha = DEFAULTS.ucbAlpha();
    @Option(names = "--thompson-scale", description = "Thompson posterior scale (default: ${DEFAULT-VALUE}).")
    double thompsonScale = DEFAULTS.thompsonScale();
    @Option(names = "--item-prior", description = "Pseudo-count of the item-level uncertainty, Infinity = off (default: ${DEFAULT-VALUE}).")
    double itemPrior = DEFAULTS.itemPrior();
    // defaultValue, not a field initialiser: picocli inverts a negatable option whose field starts true
    @Option(names = "--item-offsets", negatable = true, defaultValue = "" + PolicyConfig.DEFAULT_ITEM_OFFSETS,
            fallbackValue = "true", description = "Learn a per-item offset from this merchant's feedback between models, "
            + "the mean of the item-level term (default: ${DEFAULT-VALUE}).")
    boolean itemOffsets = PolicyConfig.DEFAULT_ITEM_OFFSETS;
    @Option(names = "--category-prior", description = "Pseudo-count of the per-customer category effects, Infinity = off "
            + "(default: ${DEFAULT-VALUE}).")
    double categoryPrior = DEFAULTS.categoryPrior();
    @Option(names = "--epsilon", description = "Initial epsilon (default: ${DEFAULT-VALUE}).")
    double epsilon = DEFAULTS.epsilon().initial();
    @Option(names = "--epsilon-min", description = "Final epsilon (default: ${DEFAULT-VALUE}).")
    double epsilonMin = DEFAULTS.epsilon().minimum();
    @Option(names = "--epsilon-decay", description = "Slates for epsilon to halve, 0 = constant (default: ${DEFAULT-VALUE}).")
    double epsilonDecay = DEFAULTS.epsilon().decaySteps();

    @Option(names = "--change-threshold", description = "Page-Hinkley threshold of per-customer change detection on the "
            + "exploit click rate, Infinity = off (default: ${DEFAULT-VALUE}).")
    double changeThreshold = DEFAULTS.changeDetection().threshold();
    @Option(names = "--change-delta", description = "Page-Hinkley tolerated drop per observation (default: ${DEFAULT-VALUE}).")
    double changeDelta = 0.05;
    @Option(names = "--change-prior", description = "Prior precision factor after a detected change (default: ${DEFAULT-VALUE}).")
    double changePrior = 0.2;
    @Option(names = "--change-hold", description = "Model versions after the alarm's that keep the weaker prior (default: ${DEFAULT-VALUE}).")
    int changeHold = 1;

    /** The policy configuration these options give (no diversity constraint: the caller adds its own). */
    public PolicyConfig config(long seed) {
        return new PolicyConfig(lambda, sigma, gamma, memory, new EpsilonSchedule(epsilon, epsilonMin, epsilonDecay),
                thompsonScale, alpha, itemPrior, DiversityConstraint.NONE, DEFAULTS.coldStartExplore(), seed,
                Double.isFinite(changeThreshold) ? new ChangeDetection(changeDelta, changeThreshold, changePrior, changeHold)
                        : ChangeDetection.OFF, itemOffsets, categoryPrior);
    }

    /** The defaults above, without picocli. */
    public static PolicyConfig defaults(long seed) {
        return new PolicyOptions().config(seed);
    }
}
