package io.interestfl.serving;

import io.interestfl.serving.policy.ChangeDetection;
import io.interestfl.serving.policy.DiversityConstraint;
import io.interestfl.serving.policy.EpsilonSchedule;
import io.interestfl.serving.policy.ExplorationPolicy;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code serving:} section of a client node's configuration: which policy serves and how.
 *
 * <pre>
 * serving:
 *   port: 7080
 *   feedback-log: run/germany/feedback.csv
 *   policy: thompson            # greedy | egreedy | thompson | linucb | random
 *   max-per-category: 3         # 0 = no diversity constraint
 *   seed: 1
 *   lambda: 3.0                 # the rest are optional, defaults from PolicyConfig.defaults
 *   sigma: 0.4
 *   gamma: 1.0
 *   memory: 0                   # observations per customer replayed on a new model (0: forget)
 *   epsilon: 0.1
 *   epsilon-min: 0.05
 *   epsilon-decay: 20000
 *   thompson-scale: 0.35
 *   ucb-alpha: 2.5
 *   item-prior: 5
 *   item-offsets: true          # learn a per-item offset from this node's feedback between models
 *   category-prior: 20          # per-customer category effects (Infinity: off; needs item categories)
 *   cold-start-explore: 0.3
 *   repeat-head: true           # mix each customer's own history in by their repeat rate (false: the model alone)
 * </pre>
 */
public record ServingConfig(String host, int port, Path feedbackLog, Path tokenFile, String policy,
                            PolicyConfig policyConfig, boolean repeatHead) {
    private static final Set<String> KEYS = Set.of("host", "port", "token-file", "feedback-log", "policy", "max-per-category", "seed",
            "lambda", "sigma", "gamma", "memory", "epsilon", "epsilon-min", "epsilon-decay", "thompson-scale", "ucb-alpha",
            "item-prior", "item-offsets", "category-prior", "cold-start-explore", "repeat-head");

    public ServingConfig {
        if (!Policies.NAMES.contains(policy)) {
            throw new IllegalArgumentException("serving.policy: unknown policy '" + policy + "'; expected one of "
                    + Policies.NAMES);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("serving.port must be in [0, 65535], got " + port);
        }
        java.util.Objects.requireNonNull(feedbackLog, "serving.feedback-log");
        java.util.Objects.requireNonNull(host, "serving.host");
    }

    /** Loopback, a token file beside the feedback log. */
    public ServingConfig(int port, Path feedbackLog, String policy, PolicyConfig policyConfig) {
        this("127.0.0.1", port, feedbackLog, null, policy, policyConfig, true);
    }

    /** Parses the section (as parsed YAML/JSON: strings and numbers); every error names its key. */
    public static ServingConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("serving: unknown key '" + k + "'; expected one of " + KEYS);
            }
        }
        if (!m.containsKey("feedback-log")) {
            throw new IllegalArgumentException("serving.feedback-log is required");
        }
        long seed = (long) number(m, "seed", 1);
        PolicyConfig d = PolicyConfig.defaults(seed);
        try {
            PolicyConfig pc = new PolicyConfig(number(m, "lambda", d.lambda()), number(m, "sigma", d.sigma()),
                    number(m, "gamma", d.gamma()), wholeNumber(m, "memory", d.memory()),
                    new EpsilonSchedule(number(m, "epsilon", d.epsilon().initial()),
                            number(m, "epsilon-min", d.epsilon().minimum()),
                            number(m, "epsilon-decay", d.epsilon().decaySteps())),
                    number(m, "thompson-scale", d.thompsonScale()), number(m, "ucb-alpha", d.ucbAlpha()),
                    number(m, "item-prior", d.itemPrior()),
                    new DiversityConstraint((int) number(m, "max-per-category", 0)),
                    number(m, "cold-start-explore", d.coldStartExplore()), seed, ChangeDetection.OFF,
                    bool(m, "item-offsets", d.itemOffsets()), number(m, "category-prior", d.categoryPrior()));
            return new ServingConfig(m.containsKey("host") ? String.valueOf(m.get("host")) : "127.0.0.1",
                    (int) number(m, "port", 7080), Path.of(String.valueOf(m.get("feedback-log"))),
                    m.containsKey("token-file") ? Path.of(String.valueOf(m.get("token-file"))) : null,
                    String.valueOf(m.containsKey("policy") ? m.get("policy") : "thompson"), pc,
                    bool(m, "repeat-head", true));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("serving") ? e
                    : new IllegalArgumentException("serving: " + e.getMessage(), e);
        }
    }

    private static double number(Map<String, ?> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serving." + key + " must be a number, got '" + v + "'");
        }
    }

    private static boolean bool(Map<String, ?> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("serving." + key + " must be true or false, got '" + v + "'");
        };
    }

    private static int wholeNumber(Map<String, ?> m, String key, int dflt) {
        double v = number(m, key, dflt);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("serving." + key + " must be a whole number, got " + m.get(key));
        }
        return (int) v;
    }

    /** The configured policy over an item space. */
    public ExplorationPolicy createPolicy(ItemSpace items) {
        return Policies.create(policy, items, policyConfig);
    }

    /**
     * A server for this configuration, authenticated: the bearer token is read from {@code token-file}, or made
     * (32 random bytes, hex, owner-only) beside the feedback log as {@code serving-token} on first use.
     */
    public RecommendationServer createServer(RepresentationProvider representations) {
        return new RecommendationServer(representations, createPolicy(representations.items()), feedbackLog, host,
                port, Runtime.getRuntime().availableProcessors(), token());
    }

    /** The token file in use: {@code token-file}, or {@code serving-token} beside the feedback log. */
    public Path tokenPath() {
        Path dir = feedbackLog.toAbsolutePath().getParent();
        return tokenFile != null ? tokenFile : dir.resolve("serving-token");
    }

    private String token() {
        return io.interestfl.security.BearerToken.loadOrCreate(tokenPath(), "serving.token-file").value();
    }
}
