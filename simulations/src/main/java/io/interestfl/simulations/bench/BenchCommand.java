package io.interestfl.simulations.bench;

import picocli.CommandLine.Command;

/** {@code interestfl bench ...}: benchmarks; each prints figures against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {TransportBenchmark.class, TrainBenchmark.class, LoadBenchmark.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
