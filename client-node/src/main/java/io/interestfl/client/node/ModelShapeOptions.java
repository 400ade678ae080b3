package io.interestfl.client.node;

import picocli.CommandLine.Option;

/**
 * The interest model's sizes as command-line options (a picocli mixin), shared by {@code client init-model} and
 * {@code demo}, which both write a federation's initial model.
 */
public final class ModelShapeOptions {
  @Option(names = "--history-length", defaultValue = "20") int historyLength;
  @Option(names = "--embedding-size", defaultValue = "32") int embeddingSize;
  @Option(names = "--hidden-size", defaultValue = "64") int hiddenSize;

  public int historyLength() {
    return historyLength;
  }

  public int embeddingSize() {
    return embeddingSize;
  }

  public int hiddenSize() {
    return hiddenSize;
  }
}
