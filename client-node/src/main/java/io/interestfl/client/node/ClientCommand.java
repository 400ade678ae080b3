package io.interestfl.client.node;

import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.protocol.Logging;
import io.interestfl.protocol.ModelFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code interestfl client --config client.yaml}: joins a federation with this merchant's data. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Run a client node: train the interest model on local data in federated rounds.",
    subcommands = {ClientCommand.InitModel.class, ClientCommand.BuildCatalogue.class})
public final class ClientCommand implements Callable<Integer> {
  @Option(names = "--config", description = "client node YAML configuration file")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--config is required to run a client node");
    }
    try (ClientNode node = new ClientNode(ClientConfig.load(config))) {
      RankingMetrics metrics = node.run();
      return metrics == null ? 1 : 0;
    }
  }

  /** Writes the initial model of a federation (weights from the seed) for the coordinator to start from. */
  @Command(name = "init-model", mixinStandardHelpOptions = true,
      description = "Write an initial model file for a catalogue and model spec.")
  static final class InitModel implements Callable<Integer> {
    @Option(names = "--catalogue", required = true) Path catalogue;
    @Option(names = "--out", required = true) Path out;
    @Option(names = "--architecture", defaultValue = "lstm", description = "lstm, gru, attention or sasrec (default ${DEFAULT-VALUE})") String architecture;
    @Mixin ModelShapeOptions shape;
    @Option(names = "--seed", defaultValue = "7") long seed;
    @Option(names = "--context-inputs", arity = "1", defaultValue = "false",
        description = "behaviour, time-gap and age inputs; must match the coordinator's training.model.context-inputs")
    boolean contextInputs;

    @Override
    public Integer call() {
      ItemCatalogue items = ItemCatalogue.read(catalogue);
      ModelConfig spec = new ModelConfig(architecture, items.size(), shape.historyLength(), shape.embeddingSize(), shape.hiddenSize(),
          1e-3, 64, seed, contextInputs);
      writeInitialModel(spec, out);
      System.out.println("wrote " + out + ": " + spec);
      return 0;
    }
  }

  public static void writeInitialModel(ModelConfig spec, Path out) {
    try (InterestModel model = InterestModel.create(spec)) {
      new ModelFile(0, spec.toString(), model.parameters()).write(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not write " + out, e);
    }
  }

  /** Builds the platform's product list (the shared catalogue) from a behaviour log. */
  @Command(name = "catalogue", mixinStandardHelpOptions = true,
      description = "Build the shared item catalogue (product codes, one per line) from an Online Retail file.")
  static final class BuildCatalogue implements Callable<Integer> {
    @Option(names = "--data", required = true) Path data;
    @Option(names = "--out", required = true) Path out;

    @Override
    public Integer call() {
      ItemCatalogue items = ItemCatalogue.fromPurchases(OnlineRetailLoader.defaults().load(data).purchases());
      items.write(out);
      System.out.println("wrote " + out + ": " + items.productCount() + " products, sha256 " + items.sha256());
      return 0;
    }
  }

  public static void main(String[] args) {
    Logging.oneLinePerRecord();
    System.exit(new CommandLine(new ClientCommand()).execute(args));
  }
}
