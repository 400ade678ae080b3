package io.interestfl.cli;

import io.interestfl.client.node.ClientCommand;
import io.interestfl.coordinator.CoordinatorCommand;
import io.interestfl.protocol.Logging;
import io.interestfl.serving.ServingBenchmark;
import io.interestfl.simulations.bandit.SimulateCommand;
import io.interestfl.simulations.bench.BenchCommand;
import io.interestfl.simulations.demo.LocalFederationDemo;
import io.interestfl.simulations.evaluation.EvaluateCommand;
import io.interestfl.simulations.evaluation.ProfileCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./interestfl}: every role and tool of interestfl behind one command. */
@Command(name = "interestfl", mixinStandardHelpOptions = true, version = "interestfl 0.1.0",
    description = "Federated learning of user-interest models across merchants.",
    subcommands = {CoordinatorCommand.class, ClientCommand.class, LocalFederationDemo.class, EvaluateCommand.class, SimulateCommand.class, BenchCommand.class, PrivacyCommand.class, AdminCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    Logging.oneLinePerRecord();
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.getSubcommands().get("bench").addSubcommand(new SecAggBenchCommand());
    commandLine.getSubcommands().get("bench").addSubcommand(new ServingBenchmark());
    commandLine.getSubcommands().get("client").addSubcommand(new ProfileCommand());
    commandLine.getSubcommands().get("simulate").addSubcommand(new io.interestfl.spark.SparkSimulateCommand());
    commandLine.setExecutionExceptionHandler(new InputErrorHandler());
    System.exit(commandLine.execute(args));
  }
}
