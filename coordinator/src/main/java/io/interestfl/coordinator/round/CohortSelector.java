package io.interestfl.coordinator.round;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.registry.ClientRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples a round's cohort uniformly from the active clients ({@link SecureRandom}): {@code cohort-size}
 * of them, or {@code cohort-fraction} of them rounded up; at least one, at most all.
 */
final class CohortSelector {
  private final SecureRandom random = new SecureRandom();
  private final int cohortSize;
  private final double cohortFraction;

  CohortSelector(CoordinatorConfig config) {
    this.cohortSize = config.cohortSize;
    this.cohortFraction = config.cohortFraction;
  }

  List<String> select(List<ClientRegistry.Client> active) {
    List<String> ids = new ArrayList<>();
    active.forEach(client -> ids.add(client.id()));
    Collections.shuffle(ids, random);
    int size = cohortSize > 0 ? cohortSize : (int) Math.ceil(cohortFraction * ids.size());
    size = Math.max(1, Math.min(size, ids.size()));
    return ids.subList(0, size);
  }
}
