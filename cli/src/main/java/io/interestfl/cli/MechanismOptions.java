package io.interestfl.cli;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.NoiseCalibrator;
import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.RdpAccountant;
import picocli.CommandLine.Option;

/**
 * The subsampled Gaussian mechanism's sampling rate, length and target delta, and the RDP-to-(epsilon, delta)
 * conversion, as command-line options (a picocli mixin) of {@code privacy epsilon} and {@code privacy calibrate}.
 */
final class MechanismOptions {
  enum Conversion { improved, classic }

  @Option(names = "--sampling-rate", required = true, description = "Poisson sampling rate q in (0, 1]") double q;
  @Option(names = "--steps", required = true, description = "mechanism applications (DP-SGD steps or rounds)") long steps;
  @Option(names = "--delta", required = true, description = "target delta of (epsilon, delta)-DP") double delta;
  @Option(names = "--conversion", defaultValue = "improved", description = "improved or classic (default ${DEFAULT-VALUE})")
  Conversion conversion;

  /** Epsilon at {@code --delta} after {@code --steps} applications with noise multiplier {@code z}. */
  PrivacySpent spent(double z) {
    return RdpAccountant.epsilon(q, z, steps, delta, epsilonConversion());
  }

  /** The smallest noise multiplier whose {@code --steps} applications stay within {@code epsilon}. */
  double noiseMultiplier(double epsilon) {
    return NoiseCalibrator.noiseMultiplier(epsilon, q, steps, delta, epsilonConversion());
  }

  private EpsilonConversion epsilonConversion() {
    return conversion == Conversion.classic ? EpsilonConversion.CLASSIC : EpsilonConversion.IMPROVED;
  }
}
