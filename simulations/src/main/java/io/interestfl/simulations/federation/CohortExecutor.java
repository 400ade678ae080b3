package io.interestfl.simulations.federation;

import java.util.List;

/**
 * Runs a round's cohort of virtual clients: each trains through {@link VirtualClient#train} from the global model,
 * and its update is folded into the round. Two executors: {@link InProcessCohort} (one JVM) and the Spark one
 * ({@code interestfl-spark}); the round's maths around them ({@link FederatedSimulation}) is the same.
 */
public interface CohortExecutor extends AutoCloseable {
  /** Number of virtual clients. */
  int clients();

  /**
   * Trains the clients of {@code cohort} (indices into the clients) from {@code global} and folds their updates
   * into {@code round} (empty when called); returns it.
   */
  RoundPartial train(int round, float[] global, List<Integer> cohort, RoundPartial open);

  /** What runs the clients, for reports ({@code in-process}, {@code spark local[2]}). */
  String describe();

  @Override
  default void close() {}
}
