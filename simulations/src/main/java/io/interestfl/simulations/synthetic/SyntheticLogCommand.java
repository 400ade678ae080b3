package io.interestfl.simulations.synthetic;

import io.interestfl.simulations.synthetic.SyntheticLogConfig.Partition;
import io.interestfl.simulations.synthetic.SyntheticLogConfig.Preset;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code interestfl simulate synthetic-log}: writes an event log with a known structure. */
@Command(name = "synthetic-log", mixinStandardHelpOptions = true,
        description = "Writes a seeded synthetic event log with a known structure (CSV with header "
                + "user,item,timestamp,region,category), to check models and defaults on logs nobody tuned on: "
                + "evaluate it with `evaluate --format events --data FILE`.")
public final class SyntheticLogCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "markov",
            description = "markov (sparse item-to-item chains, no repeats), repeat (users rebuy favourites), "
                    + "drift (markov with interests that change over time) or ratings (each item once, by "
                    + "popularity in liked topics) (default ${DEFAULT-VALUE})")
    String preset;
    @Option(names = "--partition", defaultValue = "iid",
            description = "iid (region independent of interests) or skewed (80%% of a region's users take their "
                    + "interests from the region's own topics) (default ${DEFAULT-VALUE})")
    String partition;
    @Option(names = "--users", defaultValue = "600", description = "users (default ${DEFAULT-VALUE})")
    int users;
    @Option(names = "--items", defaultValue = "1000", description = "catalogue size (default ${DEFAULT-VALUE})")
    int items;
    @Option(names = "--topics", defaultValue = "20", description = "interest topics (item categories) (default ${DEFAULT-VALUE})")
    int topics;
    @Option(names = "--regions", defaultValue = "8", description = "regions, the region column (default ${DEFAULT-VALUE})")
    int regions;
    @Option(names = "--events", defaultValue = "20", description = "mean steps per user (default ${DEFAULT-VALUE})")
    int events;
    @Option(names = "--seed", defaultValue = "1", description = "random seed: the same flags write the same bytes (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", required = true, description = "output CSV (.gz to compress)")
    Path out;
    @Option(names = "--json", description = JsonOutput.HELP)
    boolean json;

    @Override
    public Integer call() {
        SyntheticLogConfig cfg = new SyntheticLogConfig(Preset.parse(preset), Partition.parse(partition), users, items,
                topics, regions, events, seed).validate();
        try (JsonOutput output = JsonOutput.open(json)) {
            long n = SyntheticEventLog.write(cfg, out);
            if (json) {
                output.document().println(new JsonObject().put("out", out.toString()).put("preset", cfg.preset().label())
                        .put("partition", cfg.partition().label()).put("users", users).put("items", items)
                        .put("topics", topics).put("regions", regions).put("events", n).put("seed", seed)
                        .encodePrettily());
            } else {
                output.document().printf(Locale.ROOT, "wrote %s: %,d events of %,d users over %,d items (%s, %s "
                        + "partition, seed %d)%n", out, n, users, items, cfg.preset().label(), cfg.partition().label(),
                        seed);
            }
        }
        return 0;
    }
}
