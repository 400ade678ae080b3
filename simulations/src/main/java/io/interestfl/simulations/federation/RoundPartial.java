package io.interestfl.simulations.federation;

import io.interestfl.aggregation.Aggregator;
import java.io.Serializable;

/**
 * A round's updates folded so far: the round's aggregator chain (clip, noise, sum: {@link Aggregator}) and the
 * counts the round reports. Partial rounds merge ({@link Aggregator#merge}): a round split over partitions folds
 * each partition into a copy of the empty round and merges the copies into the round's own instance, which alone
 * is released.
 */
public final class RoundPartial implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Aggregator aggregator;
  private long examples;
  private double lossSum;
  private int clients;

  public RoundPartial(Aggregator aggregator) {
    this.aggregator = aggregator;
  }

  /** Folds in one client's update (null: the client had nothing to send). */
  public RoundPartial accept(ClientUpdate update) {
    if (update != null) {
      aggregator.accept(update.delta(), update.examples());
      examples += update.examples();
      lossSum += update.meanLoss() * update.examples();
      clients++;
    }
    return this;
  }

  /** Folds in another partial of the same round. */
  public RoundPartial merge(RoundPartial other) {
    aggregator.merge(other.aggregator);
    examples += other.examples;
    lossSum += other.lossSum;
    clients += other.clients;
    return this;
  }

  public Aggregator aggregator() {
    return aggregator;
  }

  /** Clients whose update was folded in. */
  public int clients() {
    return clients;
  }

  public long examples() {
    return examples;
  }

  /** The example-weighted mean local loss (NaN without an update). */
  public double meanLoss() {
    return examples == 0 ? Double.NaN : lossSum / examples;
  }
}
