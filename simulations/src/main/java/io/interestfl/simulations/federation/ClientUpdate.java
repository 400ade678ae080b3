package io.interestfl.simulations.federation;

/**
 * What one virtual client sends after its local training: its delta from the global model, the examples it trained
 * on (its FedAvg weight) and its mean local loss.
 */
public record ClientUpdate(float[] delta, long examples, double meanLoss) {
  public ClientUpdate {
    if (examples <= 0) {
      throw new IllegalArgumentException("a client update needs examples > 0, got " + examples);
    }
  }
}
