package io.interestfl.cli;

import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.serving.JsonOutput;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Command(name = "epsilon", mixinStandardHelpOptions = true,
      description = "Epsilon spent by T steps of the subsampled Gaussian mechanism, and the best RDP order.")
  static final class Epsilon implements Callable<Integer> {
    @Mixin MechanismOptions mechanism;
    @Option(names = "--noise-multiplier", required = true, description = "noise stddev / sensitivity") double z;
    @Option(names = "--json", description = JsonOutput.HELP) boolean json;

    @Override
    public Integer call() {
      try (JsonOutput output = JsonOutput.open(json)) {
        PrivacySpent spent = mechanism.spent(z);
        if (json) {
          output.document().printf(Locale.ROOT, "{\"epsilon\": %.6f, \"delta\": %s, \"bestOrder\": %s, \"samplingRate\": %s, "
                  + "\"noiseMultiplier\": %s, \"steps\": %d, \"conversion\": \"%s\"}%n",
              spent.epsilon(), mechanism.delta, spent.bestOrder(), mechanism.q, z, mechanism.steps, mechanism.conversion);
        } else {
          System.out.printf(Locale.ROOT, "epsilon = %.4f at delta = %s (best RDP order %s, %s conversion)%n",
              spent.epsilon(), mechanism.delta, spent.bestOrder(), mechanism.conversion);
        }
      }
      return 0;
    }
  }

  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = "The smallest noise multiplier that keeps T steps within a target epsilon.")
  static final class Calibrate implements Callable<Integer> {
    @Option(names = "--epsilon", required = true, description = "target epsilon") double epsilon;
    @Mixin MechanismOptions mechanism;
    @Option(names = "--json", description = JsonOutput.HELP) boolean json;

    @Override
    public Integer call() {
      try (JsonOutput output = JsonOutput.open(json)) {
        double z = mechanism.noiseMultiplier(epsilon);
        PrivacySpent spent = mechanism.spent(z);
        if (json) {
          output.document().printf(Locale.ROOT, "{\"noiseMultiplier\": %.6f, \"epsilon\": %.6f, \"delta\": %s, \"bestOrder\": %s}%n",
              z, spent.epsilon(), mechanism.delta, spent.bestOrder());
        } else {
          System.out.printf(Locale.ROOT, "noise multiplier = %.4f (gives epsilon %.4f at delta %s)%n", z, spent.epsilon(),
              mechanism.delta);
        }
      }
      return 0;
    }
  }
}
