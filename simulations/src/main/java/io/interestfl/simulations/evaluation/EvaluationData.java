package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.BasketSequences;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.CustomerPartition;
import io.interestfl.interest.data.DataSummary;
import io.interestfl.interest.data.EventLog;
import io.interestfl.interest.data.EventLogFormat;
import io.interestfl.interest.data.EventLogLoader;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.LoadResult;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.data.Purchase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;

/**
 * The evaluation's input: the federation-wide catalogue (every item of the file: the platform's product
 * list is public) and the customers partitioned into clients.
 *
 * <p>Partitions: {@code country} (Online Retail only; each customer goes to the country of their first
 * purchase; countries with fewer than {@code minCustomers} customers are pooled into one client named
 * {@code other}), {@code hash:N} (N clients by {@link CustomerPartition#hashBucket}) or, for event logs,
 * {@code column:NAME} (a client per value of a column such as a region, pooled like countries).
 *
 * @param catalogue the shared item catalogue
 * @param clients   clients in a stable order (largest first for countries, by index for hash)
 * @param summary   users, items, events and time span of what was loaded
 * @param report    the loader's row accounting, one line
 */
public record EvaluationData(ItemCatalogue catalogue, List<ClientData> clients, DataSummary summary, String report) {

  /** Loads Online Retail (either form) and partitions it. */
  public static EvaluationData onlineRetail(Path file, OnlineRetailLoader.Format form, boolean skipMalformed,
                                            String partitionBy, int minCustomers) {
    LoadResult data = OnlineRetailLoader.builder().format(form).skipMalformed(skipMalformed).build().load(file);
    ItemCatalogue catalogue = ItemCatalogue.fromPurchases(data.purchases());
    List<CustomerHistory> histories = BasketSequences.build(data.purchases(), catalogue);
    Map<Long, String> country = new HashMap<>();
    for (Purchase p : data.purchases()) {
      country.putIfAbsent(p.customerId(), p.country());
    }
    List<ClientData> clients;
    if (partitionBy.equals("country")) {
      clients = byGroup(histories, h -> country.get(h.customerId()), minCustomers);
    } else {
      clients = byHash(histories, hashBuckets(partitionBy));
    }
    return new EvaluationData(catalogue, clients, DataSummary.ofPurchases(data.purchases()), data.report().summary());
  }

  /**
   * Loads a generic event log and partitions it by user hash ({@code hash:N}) or by the value of a column
   * ({@code column:NAME}, e.g. a region or shop column: a user belongs to the value on their first row; values
   * with fewer than {@code minCustomers} users are pooled into {@code other}).
   */
  public static EvaluationData events(Path file, EventLogFormat format, boolean skipMalformed,
                                      EventLog.Grouping grouping, String partitionBy, int minCustomers) {
    if (partitionBy.equals("country")) {
      throw new IllegalArgumentException("--partition-by country needs Online Retail data; use hash:N or column:NAME "
          + "for event logs");
    }
    String column = groupColumn(partitionBy);
    int buckets = column == null ? hashBuckets(partitionBy) : 0;
    EventLog log = EventLogLoader.of(format).skipMalformed(skipMalformed).load(file);
    ItemCatalogue catalogue = ItemCatalogue.of(log.itemCodes());
    List<CustomerHistory> histories = log.histories(catalogue, grouping);
    List<ClientData> clients;
    if (column == null) {
      clients = byHash(histories, buckets);
    } else {
      Map<Long, String> group = firstValues(file, format, skipMalformed, column);
      clients = byGroup(histories, h -> group.get(h.customerId()), minCustomers);
    }
    return new EvaluationData(catalogue, clients, log.summary(), log.report().summary());
  }

  /** NAME of {@code column:NAME}, or null for another partition. */
  static String groupColumn(String partitionBy) {
    String p = partitionBy.trim();
    if (!p.toLowerCase(Locale.ROOT).startsWith("column:")) {
      return null;
    }
    String name = p.substring("column:".length()).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("--partition-by column:NAME needs a column name, got '" + partitionBy + "'");
    }
    return name;
  }

  /**
   * Each user's value of {@code column} on their first kept row: the same loader reads the column in the place of
   * the category column, so rows are kept, skipped and counted exactly as for the events themselves.
   */
  private static Map<Long, String> firstValues(Path file, EventLogFormat format, boolean skipMalformed,
                                               String column) {
    EventLog values = EventLogLoader.of(format.toBuilder().category(column).build()).skipMalformed(skipMalformed)
        .load(file);
    Map<Long, String> first = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      first.putIfAbsent(values.user(i), values.category(i));
    }
    return first;
  }

  static int hashBuckets(String partitionBy) {
    String p = partitionBy.trim().toLowerCase(Locale.ROOT);
    if (!p.startsWith("hash:")) {
      throw new IllegalArgumentException("--partition-by must be country, hash:N or column:NAME, got '" + partitionBy
          + "'");
    }
    int n;
    try {
      n = Integer.parseInt(p.substring(5));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--partition-by hash:N needs an integer N, got '" + partitionBy + "'");
    }
    if (n < 1) {
      throw new IllegalArgumentException("--partition-by hash:N needs N >= 1, got " + n);
    }
    return n;
  }

  static List<ClientData> byHash(List<CustomerHistory> histories, int n) {
    List<List<CustomerHistory>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(new ArrayList<>());
    }
    for (CustomerHistory h : histories) {
      parts.get(CustomerPartition.hashBucket(h.customerId(), n)).add(h);
    }
    List<ClientData> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ClientData.of("hash-" + i, parts.get(i)));
    }
    return out;
  }

  static List<ClientData> byGroup(List<CustomerHistory> histories,
                                  java.util.function.Function<CustomerHistory, String> group, int minCustomers) {
    Map<String, List<CustomerHistory>> groups = new TreeMap<>();
    for (CustomerHistory h : histories) {
      groups.computeIfAbsent(group.apply(h), k -> new ArrayList<>()).add(h);
    }
    Map<String, List<CustomerHistory>> kept = new LinkedHashMap<>();
    List<CustomerHistory> other = new ArrayList<>();
    groups.entrySet().stream()
        .sorted((a, b) -> a.getValue().size() != b.getValue().size()
            ? Integer.compare(b.getValue().size(), a.getValue().size()) : a.getKey().compareTo(b.getKey()))
        .forEach(e -> {
          if (e.getValue().size() >= minCustomers) {
            kept.put(e.getKey(), e.getValue());
          } else {
            other.addAll(e.getValue());
          }
        });
    List<ClientData> out = new ArrayList<>();
    kept.forEach((k, v) -> out.add(ClientData.of(k, v)));
    if (!other.isEmpty()) {
      other.sort((a, b) -> Long.compare(a.customerId(), b.customerId()));
      out.add(ClientData.of("other", other));
    }
    return out;
  }
}
