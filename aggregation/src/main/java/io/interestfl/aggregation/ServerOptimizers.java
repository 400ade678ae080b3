package io.interestfl.aggregation;

import java.util.Locale;

/**
 * The one place a server optimizer is made from its name and hyper-parameters, for the coordinator's
 * YAML, the demo and {@code evaluate} alike: {@code fedavg} (rate), {@code fedavgm} (rate, momentum =
 * {@code beta1}), {@code fedadam} and {@code fedyogi} (rate, beta1, beta2, tau).
 */
public final class ServerOptimizers {
  /** The names {@link #create} accepts. */
  public static final String NAMES = "fedavg, fedavgm, fedadam or fedyogi";

  private ServerOptimizers() {}

  /**
   * A fresh optimizer (its moments start at zero).
   *
   * @param beta1 the momentum of {@code fedavgm}, the first-moment decay of {@code fedadam}/{@code fedyogi}
   */
  public static AggregationStrategy create(String name, double learningRate, double beta1, double beta2,
      double tau) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "fedavg" -> new FedAvg(learningRate);
      case "fedavgm" -> new FedAvgM(learningRate, beta1);
      case "fedadam" -> new FedAdam(learningRate, beta1, beta2, tau);
      case "fedyogi" -> new FedYogi(learningRate, beta1, beta2, tau);
      default -> throw new IllegalArgumentException("server optimizer must be " + NAMES + ", got '" + name + "'");
    };
  }
}
