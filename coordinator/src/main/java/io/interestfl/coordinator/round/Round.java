package io.interestfl.coordinator.round;

import io.interestfl.aggregation.WeightedMeanAccumulator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One attempt at producing the next model version: its cohort and what has arrived so far. */
final class Round {
  final long id;
  final long modelVersion;
  final Set<String> cohort;
  final long openedAtMillis;
  final long deadlineMillis;
  /** Registered clients when the round opened: the population the cohort was sampled from. */
  final int population;
  int clippedUpdates;
  /** The SecAgg+ exchange of this round, or null without secure aggregation. */
  io.interestfl.coordinator.secagg.SecureAggregationRound secure;
  /** Clients whose local loss is already counted (with secure aggregation it arrives separately). */
  final Set<String> lossReported = new HashSet<>();
  final WeightedMeanAccumulator accumulator;
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

  Round(long id, long modelVersion, List<String> cohort, int population, long openedAtMillis,
      long deadlineMillis, int modelLength) {
    this.population = population;
    this.id = id;
    this.modelVersion = modelVersion;
    this.cohort = new LinkedHashSet<>(cohort);
    this.openedAtMillis = openedAtMillis;
    this.deadlineMillis = deadlineMillis;
    this.accumulator = new WeightedMeanAccumulator(modelLength);
  }

  /** Every cohort member has either submitted or withdrawn. */
  boolean complete() {
    return submitted.size() + withdrawn.size() == cohort.size();
  }
}
