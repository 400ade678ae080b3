package io.interestfl.coordinator.secagg;

import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.coordinator.config.CoordinatorConfig;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The federation's secure aggregation across rounds: opens each round's SecAgg+ exchange with the
 * pipeline's quantization stage, and unmasks finished rounds on every core, off the event loop.
 */
public final class SecureRounds implements AutoCloseable {
  private final CoordinatorConfig.SecureAggregation config;
  private final SecureQuantization quantization;
  private final ExecutorService unmaskingPool;

  public SecureRounds(CoordinatorConfig.SecureAggregation config, SecureQuantization quantization) {
    this.config = config;
    this.quantization = quantization;
    this.unmaskingPool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
      Thread thread = new Thread(r, "secagg-unmasking");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The exchange of round {@code roundId}; its first phase ends at the round's deadline. */
  public SecureAggregationRound open(long roundId, List<String> cohort, Function<String, byte[]> identityKeys,
      Function<String, byte[][]> bindings, float[] globalModel, long roundDeadlineMillis) {
    return new SecureAggregationRound(roundId, cohort, identityKeys, bindings, globalModel, config, quantization,
        roundDeadlineMillis);
  }

  /** Unmasks a round whose unmasking responses are in (on a worker) and returns the weighted mean delta. */
  public float[] finish(SecureAggregationRound round) {
    return round.finish(unmaskingPool);
  }

  @Override
  public void close() {
    unmaskingPool.shutdownNow();
  }
}
