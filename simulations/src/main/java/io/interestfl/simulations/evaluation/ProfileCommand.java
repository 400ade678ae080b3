package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.CategoryProfile;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.EventLog;
import io.interestfl.interest.data.EventLogFormat;
import io.interestfl.interest.data.EventLogLoader;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interestfl client profile}: each customer's interest profile over categories from an event log
 * with a category column ({@link CategoryProfile}: decayed, behaviour-weighted shares at the log's last
 * timestamp).
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Print customers' category interest profiles (decayed shares) from an event log with categories.")
public final class ProfileCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "event log (gzip or plain)") Path data;
  @Option(names = "--preset", description = "taobao, retailrocket or movielens") String preset;
  @Option(names = "--mapping", description = "mapping YAML (see docs/evaluation.md)") Path mapping;
  @Option(names = "--user", description = "only this user id") Long user;
  @Option(names = "--users", defaultValue = "10", description = "how many users to print (default ${DEFAULT-VALUE})") int users;
  @Option(names = "--top", defaultValue = "5", description = "categories per user (default ${DEFAULT-VALUE})") int top;
  @Option(names = "--half-life-days", defaultValue = "30", description = "interest half-life (default ${DEFAULT-VALUE})")
  double halfLifeDays;
  @Option(names = "--skip-malformed") boolean skipMalformed;
  @Option(names = "--json", description = JsonOutput.HELP) boolean json;

  @Override
  public Integer call() {
    try (JsonOutput output = JsonOutput.open(json)) {
      return run(output);
    }
  }

  private Integer run(JsonOutput output) {
    EventLogFormat format = mapping != null ? EventLogFormat.fromYaml(mapping)
        : preset != null ? EventLogFormat.preset(preset) : null;
    if (format == null) {
      throw new IllegalArgumentException("give --preset or --mapping");
    }
    EventLog log = EventLogLoader.of(format).skipMalformed(skipMalformed).load(data);
    if (!log.hasCategories()) {
      throw new IllegalArgumentException(data + ": the mapping has no category column");
    }
    ItemCatalogue catalogue = ItemCatalogue.of(log.itemCodes());
    List<CustomerHistory> histories = log.histories(catalogue, EventLog.Grouping.TIMESTAMP);
    long now = log.summary().lastEpochSeconds();
    JsonArray out = new JsonArray();
    int printed = 0;
    if (!json) {
      System.out.printf(Locale.ROOT, "%s; profiles at %s, half-life %.1f days%n", log.summary(),
          java.time.Instant.ofEpochSecond(now), halfLifeDays);
    }
    for (CustomerHistory h : histories) {
      if (user != null ? h.customerId() != user : printed >= users) {
        continue;
      }
      CategoryProfile p = CategoryProfile.of(h, log.categoryCount(), now, halfLifeDays);
      double[] shares = p.shares();
      JsonArray cats = new JsonArray();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "user %d:", h.customerId()));
      for (int c : p.top(top)) {
        cats.add(new JsonObject().put("category", log.categoryName(c)).put("share", shares[c]));
        line.append(String.format(Locale.ROOT, " %s %.3f", log.categoryName(c), shares[c]));
      }
      out.add(new JsonObject().put("user", h.customerId()).put("categories", cats));
      if (!json) {
        System.out.println(line);
      }
      printed++;
    }
    if (json) {
      output.document().println(out.encodePrettily());
    }
    return 0;
  }
}
