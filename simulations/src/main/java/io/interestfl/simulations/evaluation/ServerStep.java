package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.ControlVariates;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.aggregation.Weighting;

/**
 * The server optimizer of the federated rows, applied to the clients' weighted mean delta, as the coordinator
 * applies it ({@link ServerOptimizers}).
 *
 * @param momentum the momentum of {@code fedavgm}, the first-moment decay of {@code fedadam}/{@code fedyogi}
 */
public record ServerStep(String optimizer, double learningRate, double momentum, boolean sparseRows) {
  /** Plain FedAvg, rate 1, dense mean. */
  public static final ServerStep FEDAVG = new ServerStep("fedavg", 1.0, 0.0, false);

  /** With the dense mean. */
  public ServerStep(String optimizer, double learningRate, double momentum) {
    this(optimizer, learningRate, momentum, false);
  }

  /** A fresh optimizer for one federated run. */
  public AggregationStrategy create() {
    return ServerOptimizers.create(optimizer, learningRate, momentum, 0.99, 1e-3);
  }

  /** The round's stages: the (sparse-row or dense) weighted mean of the deltas, then a fresh optimizer. */
  public AggregationPipeline pipeline(Weighting weighting) {
    return pipeline(weighting, create());
  }

  /**
   * With drift correction: the stages over {@code [delta | c_i]} uploads, the optimizer stepping the model half and
   * the mean of the {@code c_i} becoming the next {@code c} ({@link ControlVariates}, as the coordinator does).
   */
  public AggregationPipeline driftCorrected(Weighting weighting, int modelLength) {
    return pipeline(weighting, new ControlVariates(create(), modelLength));
  }

  private AggregationPipeline pipeline(Weighting weighting, AggregationStrategy step) {
    return sparseRows ? AggregationPipeline.sparseMean(weighting, step) : AggregationPipeline.mean(weighting, step);
  }
}
