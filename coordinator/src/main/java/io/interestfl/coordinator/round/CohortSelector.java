package io.interestfl.coordinator.round;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.registry.ClientRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples a round's cohort uniformly from the active clients ({@link SecureRandom}): the goal is {@code cohort-size}
 * of them, or {@code cohort-fraction} of them rounded up; at least one, at most all. With {@code over-selection} f
 * the round asks {@code ceil(f x goal)} of them (at most all) and closes at the goal.
 */
final class CohortSelector {
  private final SecureRandom random = new SecureRandom();
  private final int cohortSize;
  private final double cohortFraction;
  private final double overSelection;
  private final int minUpdates;

  /** The clients asked, and the number of updates at which the round closes. */
  record Selection(List<String> cohort, int goal) {}

  CohortSelector(CoordinatorConfig config) {
    this.cohortSize = config.cohortSize;
    this.cohortFraction = config.cohortFraction;
    this.overSelection = config.overSelection;
    this.minUpdates = config.minUpdates;
  }

  Selection select(List<ClientRegistry.Client> active) {
    List<String> ids = new ArrayList<>();
    active.forEach(client -> ids.add(client.id()));
    Collections.shuffle(ids, random);
    int goal = cohortSize > 0 ? cohortSize : (int) Math.ceil(cohortFraction * ids.size());
    // never below min-updates (a round closing at fewer could only be retried), never above the active clients
    goal = Math.max(Math.max(1, Math.min(minUpdates, ids.size())), Math.min(goal, ids.size()));
    int asked = Math.min(ids.size(), (int) Math.ceil(overSelection * goal - 1e-9));
    return new Selection(List.copyOf(ids.subList(0, asked)), goal);
  }
}
