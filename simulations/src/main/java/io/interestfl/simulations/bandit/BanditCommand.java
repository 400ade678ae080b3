package io.interestfl.simulations.bandit;

import io.interestfl.serving.JsonOutput;
import io.interestfl.serving.PolicyOptions;
import io.interestfl.serving.SyntheticDataOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code interestfl simulate bandit}: a policy (or all) in the drifting-interest simulator. */
@Command(name = "bandit", mixinStandardHelpOptions = true,
        description = "Runs exploration policies against synthetic customers whose interests drift, with the "
                + "interest representation retrained by FedAvg across merchants; reports reward, regret against "
                + "the oracle, CTR, coverage and novelty.")
public final class BanditCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SimulationOptions simulation = new SimulationOptions();
    @Mixin
    SyntheticDataOptions data = new SyntheticDataOptions(1000);
    @Option(names = "--steps", description = "Time steps (default: ${DEFAULT-VALUE}).")
    int steps = 2000;
    @Option(names = "--merchants", description = "Merchants / federated clients (default: ${DEFAULT-VALUE}).")
    int merchants = 4;
    @Option(names = "--retrain-every", description = "Federated retraining period in steps; each merchant trains on "
            + "its last 2R steps (default: ${DEFAULT-VALUE}).")
    int retrainEvery = BanditConfig.DEFAULT_RETRAIN_EVERY;
    @Option(names = "--recency-half-life", description = "Recency-weighted retraining: half-life in steps of an "
            + "observation's weight in the training window, 0 = none (default: ${DEFAULT-VALUE}).")
    double recencyHalfLife = 0;
    @Option(names = "--recency-scope", description = "all (the weight scales every SGD step) or customer (only the "
            + "customer-vector steps; item vectors learn from the whole window) (default: ${DEFAULT-VALUE}).")
    String recencyScope = "all";
    @Option(names = "--drift", description = "on or off (default: ${DEFAULT-VALUE}).")
    String drift = "on";
    @Option(names = "--categories", description = "Categories (default: ${DEFAULT-VALUE}).")
    int categories = 20;
    @Option(names = "--k", description = "Slate size (default: ${DEFAULT-VALUE}).")
    int k = 5;
    @Option(names = "--visit-probability", description = "Chance a customer visits in a step (default: ${DEFAULT-VALUE}).")
    double visitProbability = 0.2;
    @Option(names = "--jump-probability", description = "Per-step chance of an interest jump (default: ${DEFAULT-VALUE}).")
    double jumpProbability = 0.005;
    @Option(names = "--walk-sigma", description = "Random-walk step (default: ${DEFAULT-VALUE}).")
    double walkSigma = 0.03;
    @Option(names = "--max-per-category", description = "Diversity constraint, 0 = none (default: ${DEFAULT-VALUE}).")
    int maxPerCategory = 0;
    @Option(names = "--category-vectors", description = "Model item vectors as a learnt category vector plus the "
            + "item's own part (default: off).")
    boolean categoryVectors;
    @Option(names = "--shared-impressions", description = "At each retraining give every merchant the federation's "
            + "per-item impression counts (a secure sum the product does not send yet) (default: off).")
    boolean sharedImpressions;
    @Option(names = "--item-churn", description = "Share of the catalogue replaced by new products at each "
            + "retraining, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double itemChurn = 0;
    @Option(names = "--json", description = JsonOutput.HELP)
    boolean json;
    @Option(names = "--plot", description = "Write a PNG of reward and coverage over time, and beside it an HTML page "
            + "(same name, .html) with the command, the results table and the plot.")
    Path plot;
    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Override
    public Integer call() throws Exception {
        try (JsonOutput output = JsonOutput.open(json)) {
            return run(output);
        }
    }

    private Integer run(JsonOutput output) throws Exception {
        int customers = simulation.customers;
        int items = data.items();
        long seed = data.seed();
        if (!drift.equals("on") && !drift.equals("off")) {
            throw new IllegalArgumentException("--drift must be on or off, got " + drift);
        }
        if (!recencyScope.equals("all") && !recencyScope.equals("customer")) {
            throw new IllegalArgumentException("--recency-scope must be all or customer, got " + recencyScope);
        }
        if (!(recencyHalfLife >= 0)) {
            throw new IllegalArgumentException("--recency-half-life must be >= 0, got " + recencyHalfLife);
        }
        if (!(itemChurn >= 0 && itemChurn < 1)) {
            throw new IllegalArgumentException("--item-churn must be in [0, 1), got " + itemChurn);
        }
        List<String> names = simulation.policies();
        BanditConfig cfg = new BanditConfig(customers, items, categories, 8, 8, steps, visitProbability, k,
                drift.equals("on"), walkSigma, jumpProbability, merchants, retrainEvery, 2, 2, 2 * retrainEvery,
                maxPerCategory, seed, recencyHalfLife, recencyScope.equals("customer"), categoryVectors,
                sharedImpressions, itemChurn);
        List<PolicyResult> results = new ArrayList<>();
        for (String n : names) {
            PolicyResult r = BanditSimulation.run(cfg, n, policyOptions.config(seed));
            results.add(r);
            if (!json) {
                System.err.printf(Locale.ROOT, "%s done in %.1f s%n", n, r.seconds());
            }
        }
        if (plot != null) {
            RewardPlot.write(results, String.format(Locale.ROOT,
                    "%d customers, %d items, %d steps, drift %s, seed %d, %d merchants, retrain every %d%s",
                    customers, items, steps, drift, seed, merchants, retrainEvery,
                    itemChurn > 0 ? String.format(Locale.ROOT, ", item churn %.0f%%", 100 * itemChurn) : ""), plot);
            java.util.List<java.util.List<String>> rows = new ArrayList<>();
            for (PolicyResult r : results) {
                rows.add(java.util.List.of(r.policy(), Long.toString(r.visits()), Long.toString(r.reward()),
                        String.format(Locale.ROOT, "%.1f", r.regret()), String.format(Locale.ROOT, "%.4f", r.ctr()),
                        String.format(Locale.ROOT, "%.3f", r.coverage()), String.format(Locale.ROOT, "%.3f", r.exploreShare())));
            }
            String name = plot.getFileName().toString().replaceFirst("\\.png$", "") + ".html";
            new io.interestfl.simulations.report.HtmlReport("Explore against exploit: simulate bandit").command(spec)
                    .paragraph(String.format(Locale.ROOT, "%d customers, %d items, %d steps, drift %s, seed %d",
                            customers, items, steps, drift, seed))
                    .table(java.util.List.of("policy", "visits", "reward", "regret", "ctr", "coverage", "explore share"), rows)
                    .image(plot, "reward and coverage over time").write(plot.resolveSibling(name));
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("config", cfg);
            out.put("results", results);
            output.document().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            print(results);
        }
        return 0;
    }

    static void print(List<PolicyResult> results) {
        PolicyResult greedy = results.stream().filter(r -> r.policy().equals("greedy")).findFirst().orElse(null);
        System.out.printf(Locale.ROOT, "%-9s %9s %9s %8s %10s %7s %9s %9s %8s %8s%n", "policy", "visits", "reward",
                "vsGreedy", "regret", "ctr", "coverage", "bucketCov", "novelty", "explore");
        for (PolicyResult r : results) {
            String vs = greedy == null ? "-" : String.format(Locale.ROOT, "%+.1f%%",
                    100.0 * (r.reward() - greedy.reward()) / Math.max(1, greedy.reward()));
            System.out.printf(Locale.ROOT, "%-9s %9d %9d %8s %10.1f %7.4f %9.3f %9.3f %8.2f %8.3f%n", r.policy(),
                    r.visits(), r.reward(), vs, r.regret(), r.ctr(), r.coverage(), r.meanBucketCoverage(),
                    r.novelty(), r.exploreShare());
        }
    }
}
