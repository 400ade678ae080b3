package io.interestfl.aggregation;

/**
 * The maths of a round, once, as a chain of small stages (TensorFlow Federated's aggregation
 * factories): clip, noise (none, central or distributed), quantize, (secure) sum, dequantize, and the
 * server optimizer step. The coordinator, the in-process simulator and any other runner execute the
 * same stage objects:
 *
 * <pre>
 *   plain        accept: WeightedMean (Weighting)                         -> step (AggregationStrategy)
 *   robust       accept: CoordinateTrimmedMean (trimmed mean or median)   -> step
 *   central DP   accept: Clipping (ClipNorm) -> NoisySum (CentralNoise)   -> step
 *   customer DP  client: per-customer clip, sum, CustomerDpShare (noise share, quantize); server: secure sum ->
 *                CustomerDpState.commit (/ qN) -> step
 *   secure       client: clip, SecureQuantization.encode (+ DistributedNoise)
 *                server: secure sum (SecAgg+) -> SecureQuantization.decode -> step
 * </pre>
 *
 * <p>A plaintext round goes through {@link #open}: every update is folded in as it arrives and
 * {@link Aggregator#release()} gives the aggregate. Under secure aggregation the server only sees the
 * unmasked sum, which {@link #quantization()} decodes. Either way {@link #step} makes the next model.
 */
public final class AggregationPipeline {
  private final AggregatorFactory aggregation;
  private final SecureQuantization quantization;
  private final AggregationStrategy serverStep;

  private AggregationPipeline(AggregatorFactory aggregation, SecureQuantization quantization,
      AggregationStrategy serverStep) {
    this.aggregation = aggregation;
    this.quantization = quantization;
    this.serverStep = serverStep;
  }

  /** No privacy: the {@code weighting}-weighted mean, then {@code serverStep}. */
  public static AggregationPipeline mean(Weighting weighting, AggregationStrategy serverStep) {
    return new AggregationPipeline((length, cohortSize) -> new WeightedMean(weighting, length), null, serverStep);
  }

  /**
   * No privacy, sparse rows: each coordinate's {@code weighting}-weighted mean over the clients that changed it
   * ({@link SparseMean}), then {@code serverStep}. Clients must send deltas.
   */
  public static AggregationPipeline sparseMean(Weighting weighting, AggregationStrategy serverStep) {
    return new AggregationPipeline((length, cohortSize) -> new SparseMean(weighting, length), null, serverStep);
  }

  /**
   * No privacy, robust to a minority of bad participants: the coordinate-wise trimmed mean dropping
   * {@code floor(trimFraction * n)} values at each end ({@link CoordinateTrimmedMean}), then {@code serverStep}.
   */
  public static AggregationPipeline trimmedMean(double trimFraction, AggregationStrategy serverStep) {
    CoordinateTrimmedMean.Trim trim = CoordinateTrimmedMean.fraction(trimFraction);
    return new AggregationPipeline((length, cohortSize) -> new CoordinateTrimmedMean(length, trim), null, serverStep);
  }

  /** No privacy, robust: the coordinate-wise median of the cohort's updates, then {@code serverStep}. */
  public static AggregationPipeline median(AggregationStrategy serverStep) {
    return new AggregationPipeline((length, cohortSize) -> new CoordinateTrimmedMean(length,
        CoordinateTrimmedMean.median()), null, serverStep);
  }

  /** Central DP-FedAvg: clip, noisy sum over the cohort, then {@code serverStep}. */
  public static AggregationPipeline centralDp(CentralDp dp, AggregationStrategy serverStep) {
    return new AggregationPipeline(dp, null, serverStep);
  }

  /** Secure aggregation: clients quantize (and add distributed noise), the server decodes the secure sum. */
  public static AggregationPipeline secure(SecureQuantization quantization, AggregationStrategy serverStep) {
    return new AggregationPipeline(null, quantization, serverStep);
  }

  /** One plaintext round's aggregator chain. */
  public Aggregator open(int modelLength, int cohortSize) {
    if (aggregation == null) {
      throw new IllegalStateException("under secure aggregation no plaintext update reaches the server: "
          + "decode the secure sum with quantization()");
    }
    return aggregation.open(modelLength, cohortSize);
  }

  /** The quantize and dequantize stages; null without secure aggregation. */
  public SecureQuantization quantization() {
    return quantization;
  }

  /** The server optimizer step: the next global model from the round's aggregate. */
  public float[] step(float[] global, float[] aggregate) {
    return serverStep.apply(global, aggregate);
  }

  /** The server optimizer, for its name and its checkpointed state. */
  public AggregationStrategy serverStep() {
    return serverStep;
  }
}
