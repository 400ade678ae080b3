package io.interestfl.coordinator.round;

import io.interestfl.aggregation.Aggregator;
import io.interestfl.coordinator.secagg.SecureAggregationRound;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One attempt at producing the next model version: its cohort and what has arrived so far. */
final class Round {
  final long id;
  final long modelVersion;
  final Set<String> cohort;
  /** Accepted updates at which the round closes: the cohort's size, or less under over-selection. */
  final int goal;
  final long openedAtMillis;
  final long deadlineMillis;
  /** Registered clients when the round opened: the population the cohort was sampled from. */
  final int population;
  /** The plaintext updates' aggregation chain, or null under secure aggregation. */
  final Aggregator aggregator;
  /** The SecAgg+ exchange of this round, or null without secure aggregation. */
  final SecureAggregationRound secure;
  /** Clients whose local loss is already counted (with secure aggregation it arrives separately). */
  final Set<String> lossReported = new HashSet<>();
  /** Clients whose update was accepted, in order of arrival. */
  final Set<String> submitted = new LinkedHashSet<>();
  /** Cohort members that withdrew from training during this round (they will send nothing). */
  final Set<String> withdrawn = new LinkedHashSet<>();
  /** Clients with an upload stream in progress (a second concurrent stream is refused). */
  final Set<String> uploading = new HashSet<>();
  double weightedLossSum;
  /** Largest customer-level epsilon reported by a participant (user-level DP inside the nodes). */
  double maxCustomerEpsilon;
  double totalExamples;
  long bytesReceived;
  private double normSum;
  private double normMax;
  private int norms;

  /** An accepted update's L2 norm as received. */
  void countNorm(double norm) {
    normSum += norm;
    normMax = Math.max(normMax, norm);
    norms++;
  }

  Round(long id, long modelVersion, List<String> cohort, int population, long openedAtMillis,
      long deadlineMillis, Aggregator aggregator, SecureAggregationRound secure) {
    this(id, modelVersion, cohort, cohort.size(), population, openedAtMillis, deadlineMillis, aggregator, secure);
  }

  Round(long id, long modelVersion, List<String> cohort, int goal, int population, long openedAtMillis,
      long deadlineMillis, Aggregator aggregator, SecureAggregationRound secure) {
    if (goal < 1 || goal > cohort.size()) {
      throw new IllegalArgumentException("a round's goal must be in [1, " + cohort.size() + "], got " + goal);
    }
    this.goal = goal;
    this.population = population;
    this.id = id;
    this.modelVersion = modelVersion;
    this.cohort = new LinkedHashSet<>(cohort);
    this.openedAtMillis = openedAtMillis;
    this.deadlineMillis = deadlineMillis;
    this.aggregator = aggregator;
    this.secure = secure;
  }

  /** The goal's updates arrived, or every cohort member has either submitted or withdrawn. */
  boolean complete() {
    return submitted.size() >= goal || submitted.size() + withdrawn.size() == cohort.size();
  }

  /** The goal was reached with cohort members still out (over-selection's stragglers). */
  boolean closedAtGoal() {
    return submitted.size() >= goal && submitted.size() + withdrawn.size() < cohort.size();
  }

  /** A cohort member that has not submitted will send nothing: stop waiting for it; true if it was one. */
  boolean withdraw(String clientId) {
    if (!cohort.contains(clientId) || submitted.contains(clientId)) {
      return false;
    }
    withdrawn.add(clientId);
    if (secure != null) {
      secure.withdraw(clientId);
    }
    return true;
  }

  /** Accepted updates that the clip stage had to clip (0 without one). */
  int clippedUpdates() {
    return aggregator == null ? 0 : aggregator.clipped();
  }

  /** A client's training loss, weighted by its examples; and the largest customer epsilon seen. */
  void countLoss(double meanTrainLoss, long examples, double customerEpsilon) {
    maxCustomerEpsilon = Math.max(maxCustomerEpsilon, customerEpsilon);
    weightedLossSum += meanTrainLoss * examples;
    totalExamples += examples;
  }

  /** Cohort members that neither submitted nor withdrew (none once the goal was reached: those were not needed). */
  List<String> dropped() {
    return submitted.size() >= goal && goal < cohort.size() ? new ArrayList<>() : outstanding();
  }

  /** Cohort members still out when the round reached its goal under over-selection. */
  List<String> notNeeded() {
    return submitted.size() >= goal && goal < cohort.size() ? outstanding() : new ArrayList<>();
  }

  private List<String> outstanding() {
    List<String> out = new ArrayList<>(cohort);
    out.removeAll(submitted);
    out.removeAll(withdrawn);
    return out;
  }

  /** The round's history entry as it closes; the outcome is added by whoever decides it. */
  JsonObject historyEntry(String closedBy, List<String> dropped, long nowMillis) {
    JsonObject entry = new JsonObject()
        .put("round", id)
        .put("modelVersionBefore", modelVersion)
        .put("closedBy", closedBy)
        .put("cohort", new JsonArray(new ArrayList<>(cohort)))
        .put("goal", goal)
        .put("notNeeded", new JsonArray(notNeeded()))
        .put("participants", new JsonArray(new ArrayList<>(submitted)))
        .put("dropped", new JsonArray(dropped))
        .put("withdrawn", new JsonArray(new ArrayList<>(withdrawn)))
        .put("bytesReceived", bytesReceived)
        .put("meanTrainLoss", totalExamples > 0 ? weightedLossSum / totalExamples : null)
        .put("durationMillis", nowMillis - openedAtMillis);
    if (norms > 0) {
      entry.put("updateNormMean", normSum / norms).put("updateNormMax", normMax);
    }
    if (maxCustomerEpsilon > 0) {
      entry.put("customerEpsilonMax", maxCustomerEpsilon);
    }
    return entry;
  }
}
