package io.interestfl.aggregation;

import io.interestfl.privacy.clipping.AdaptiveClipper;
import java.security.SecureRandom;

/**
 * Client-level central DP, DP-FedAvg (McMahan et al. 2018), as a chain of stages: clip every update
 * to L2 norm C ({@link Clipping}), weight clients equally, add N(0, (zC)^2) to the sum and divide by
 * the cohort size ({@link NoisySum}). The clip norm may follow a quantile of the update norms
 * ({@link ClipNorm}); its count noise and the update noise share one {@link SecureRandom}.
 *
 * <p>Accounting and the ledger are not here: whoever runs the round records it before calling
 * {@link Aggregator#release()}.
 */
public final class CentralDp implements AggregatorFactory {
  private final ClipNorm clipNorm;
  private final CentralNoise noise;

  private CentralDp(ClipNorm clipNorm, CentralNoise noise) {
    this.clipNorm = clipNorm;
    this.noise = noise;
  }

  /** A fixed clip norm C and noise multiplier z. */
  public static CentralDp fixed(double clipNorm, double noiseMultiplier) {
    ClipNorm norm = new ClipNorm(clipNorm);
    return new CentralDp(norm, new CentralNoise(noiseMultiplier, 0, norm, new SecureRandom()));
  }

  /**
   * A clip norm that starts at {@code clipNorm} and moves toward the {@code targetQuantile} of the
   * update norms at geometric rate {@code learningRate}; the unclipped count is released with
   * N(0, countNoiseStddev^2).
   */
  public static CentralDp adaptive(double clipNorm, double noiseMultiplier, double targetQuantile,
      double learningRate, double countNoiseStddev) {
    SecureRandom random = new SecureRandom();
    ClipNorm norm = new ClipNorm(new AdaptiveClipper(clipNorm, targetQuantile, learningRate, countNoiseStddev,
        random));
    return new CentralDp(norm, new CentralNoise(noiseMultiplier, countNoiseStddev, norm, random));
  }

  @Override
  public Aggregator open(int modelLength, int cohortSize) {
    return new Clipping(clipNorm, new NoisySum(noise, modelLength, cohortSize), cohortSize);
  }

  public ClipNorm clipNorm() {
    return clipNorm;
  }

  public CentralNoise noise() {
    return noise;
  }
}
