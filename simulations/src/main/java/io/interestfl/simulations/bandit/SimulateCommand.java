package io.interestfl.simulations.bandit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code interestfl simulate ...}: research simulations. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Simulations.",
        subcommands = {BanditCommand.class, ReplayCommand.class, CatalogueChurnCommand.class,
            io.interestfl.simulations.evaluation.PrivacySweepCommand.class,
            io.interestfl.simulations.synthetic.SyntheticLogCommand.class})
public final class SimulateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
