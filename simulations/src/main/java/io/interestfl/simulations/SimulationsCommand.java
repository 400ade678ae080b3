package io.interestfl.simulations;

import io.interestfl.simulations.demo.LocalFederationDemo;
import picocli.CommandLine;

/** Entry point for running the demo without the full launcher. */
public final class SimulationsCommand {
  private SimulationsCommand() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalFederationDemo()).execute(args));
  }
}
