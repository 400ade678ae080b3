package io.interestfl.cli;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.NoiseCalibrator;
import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.RdpAccountant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code interestfl privacy epsilon|calibrate}: the RDP accountant from the command line. */
@Command(name = "privacy", mixinStandardHelpOptions = true,
    description = "Privacy accounting for the Poisson-subsampled Gaussian mechanism (DP-SGD, DP-FedAvg).",
    subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Calibrate.class})
public final class PrivacyCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  enum Conversion { improved, classic }

  static EpsilonConversion of(Conversion conversion) {
    return conversion == Conversion.classic ? EpsilonConversion.CLASSIC : EpsilonConversion.IMPROVED;
  }

  @Command(name = "epsilon", mixinStandardHelpOptions = true,
      description = "Epsilon spent by T steps of the subsampled Gaussian mechanism, and the best RDP order.")
  static final class Epsilon implements Callable<Integer> {
    @Option(names = "--sampling-rate", required = true, description = "Poisson sampling rate q in (0, 1]") double q;
    @Option(names = "--noise-multiplier", required = true, description = "noise stddev / sensitivity") double z;
    @Option(names = "--steps", required = true, description = "mechanism applications (DP-SGD steps or rounds)") long steps;
    @Option(names = "--delta", required = true, description = "target delta of (epsilon, delta)-DP") double delta;
    @Option(names = "--conversion", defaultValue = "improved", description = "improved or classic (default ${DEFAULT-VALUE})")
    Conversion conversion;
    @Option(names = "--json", description = "print the result as JSON") boolean json;

    @Override
    public Integer call() {
      PrivacySpent spent = RdpAccountant.epsilon(q, z, steps, delta, of(conversion));
      if (json) {
        System.out.printf(Locale.ROOT, "{\"epsilon\": %.6f, \"delta\": %s, \"bestOrder\": %s, \"samplingRate\": %s, "
                + "\"noiseMultiplier\": %s, \"steps\": %d, \"conversion\": \"%s\"}%n",
            spent.epsilon(), delta, spent.bestOrder(), q, z, steps, conversion);
      } else {
        System.out.printf(Locale.ROOT, "epsilon = %.4f at delta = %s (best RDP order %s, %s conversion)%n",
            spent.epsilon(), delta, spent.bestOrder(), conversion);
      }
      return 0;
    }
  }

  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = "The smallest noise multiplier that keeps T steps within a target epsilon.")
  static final class Calibrate implements Callable<Integer> {
    @Option(names = "--epsilon", required = true, description = "target epsilon") double epsilon;
    @Option(names = "--sampling-rate", required = true, description = "Poisson sampling rate q in (0, 1]") double q;
    @Option(names = "--steps", required = true, description = "mechanism applications (DP-SGD steps or rounds)") long steps;
    @Option(names = "--delta", required = true, description = "target delta of (epsilon, delta)-DP") double delta;
    @Option(names = "--conversion", defaultValue = "improved", description = "improved or classic (default ${DEFAULT-VALUE})") Conversion conversion;
    @Option(names = "--json", description = "print the result as JSON") boolean json;

    @Override
    public Integer call() {
      double z = NoiseCalibrator.noiseMultiplier(epsilon, q, steps, delta, of(conversion));
      PrivacySpent spent = RdpAccountant.epsilon(q, z, steps, delta, of(conversion));
      if (json) {
        System.out.printf(Locale.ROOT, "{\"noiseMultiplier\": %.6f, \"epsilon\": %.6f, \"delta\": %s, \"bestOrder\": %s}%n",
            z, spent.epsilon(), delta, spent.bestOrder());
      } else {
        System.out.printf(Locale.ROOT, "noise multiplier = %.4f (gives epsilon %.4f at delta %s)%n", z, spent.epsilon(), delta);
      }
      return 0;
    }
  }
}
