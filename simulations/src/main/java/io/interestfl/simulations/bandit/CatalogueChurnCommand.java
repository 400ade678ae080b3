package io.interestfl.simulations.bandit;

import io.interestfl.interest.data.LoadResult;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.serving.JsonOutput;
import io.interestfl.simulations.demo.OnlineRetailFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code interestfl simulate catalogue-churn}: the monthly share of new products in the Online Retail log. */
@Command(name = "catalogue-churn", mixinStandardHelpOptions = true,
        description = "Measures how fast the Online Retail catalogue renews itself: per month, the share of the "
                + "products sold that had never been sold before (the simulator's --item-churn at one retraining "
                + "a month). Counts the sales with a customer id, the ones the federation trains on.")
public final class CatalogueChurnCommand implements Callable<Integer> {
    @Mixin
    OnlineRetailFile data;
    @Option(names = "--country", split = ",", description = "Only these countries (default: all).")
    List<String> countries;
    @Option(names = "--json", description = JsonOutput.HELP)
    boolean json;

    @Override
    public Integer call() {
        try (JsonOutput output = JsonOutput.open(json)) {
            return run(output);
        }
    }

    private Integer run(JsonOutput output) {
        OnlineRetailLoader.Builder loader = OnlineRetailLoader.builder();
        if (countries != null) {
            loader.countries(countries.toArray(String[]::new));
        }
        LoadResult load = loader.build().load(data.file());
        if (load.purchases().isEmpty()) {
            throw new IllegalArgumentException("no purchase loaded" + (countries != null ? " for --country " + countries
                    + " (country names as in the file, e.g. United Kingdom, Germany)" : ""));
        }
        CatalogueChurn.Report report = CatalogueChurn.monthly(load.purchases(), ZoneId.of("Europe/London"));
        if (json) {
            JsonArray months = new JsonArray();
            for (CatalogueChurn.Month m : report.months()) {
                months.add(new JsonObject().put("month", m.month().toString()).put("products", m.products())
                        .put("newProducts", m.newProducts()).put("newShare", m.newShare())
                        .put("newUnitsShare", m.newUnitsShare()).put("complete", m.complete()));
            }
            output.document().println(new JsonObject().put("months", months).put("completeMonths", report.completeMonths())
                    .put("medianNewShare", report.medianNewShare()).put("meanNewShare", report.meanNewShare())
                    .encodePrettily());
            return 0;
        }
        System.out.printf(Locale.ROOT, "%-8s %9s %6s %7s %12s%n", "month", "products", "new", "share", "units share");
        for (CatalogueChurn.Month m : report.months()) {
            System.out.printf(Locale.ROOT, "%-8s %9d %6d %6.1f%% %11.1f%%%s%n", m.month(), m.products(), m.newProducts(),
                    100 * m.newShare(), 100 * m.newUnitsShare(), m.complete() ? "" : "  (left out: first or partial month)");
        }
        System.out.printf(Locale.ROOT, "new products per month over %d complete months: median %.1f%%, mean %.1f%% "
                        + "(--item-churn %.2f with one retraining a month)%n", report.completeMonths(),
                100 * report.medianNewShare(), 100 * report.meanNewShare(), report.medianNewShare());
        return 0;
    }
}
